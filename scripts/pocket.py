"""Pocket guides: one A6 PDF per region and language, printed from the site's own sources.

Nothing is typed here twice: steps, "what not to do" and the referral pathway are the
snippets in docs/_includes/, the checklist is `scripts.indicators.key_indicators`, the
contacts are `scripts.directory.usable_contacts` and `national_lines` (worded by the
directory's `status_line`, ordered by its `print_order`). Every source is a
replaceable provider (`Providers`), so tests can feed fixture content.

Pipeline (pure functions): gather_guide() -> GuideContent -> render_html() -> write_pdf().
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scripts import DOCS_DIR, LANGUAGES, ROOT
from scripts.dates import add_months, as_date, format_date

# The twelve regions of the directory plus the national edition (region id = data file name).
# Alphabetical by name (Cajamarca before Callao), the national edition last.
REGIONS: tuple[str, ...] = ("amazonas", "cajamarca", "callao", "cusco", "lima", "loreto",
                            "madre-de-dios", "pasco", "piura", "puno", "tacna", "tumbes",
                            "nacional")
REGION_NAMES: dict[str, dict[str, str]] = {
    **{r: {"es": r.replace("-de-", " de ").title().replace(" De ", " de "),
           "en": r.replace("-de-", " de ").title().replace(" De ", " de ")} for r in REGIONS},
    "nacional": {"es": "Edición nacional", "en": "National edition"},
}
NATIONAL = "nacional"
INCLUDES_DIR = DOCS_DIR / "_includes"
SNIPPETS = {"pasos": "pasos-primer-contacto", "no_hacer": "que-no-hacer",
            "ruta": "ruta-derivacion"}
TEMPLATE_DIR = ROOT / "overrides"
TEMPLATE = "partials/pocket-guide.html"
CSS_FILE = DOCS_DIR / "assets" / "stylesheets" / "pocket-a6.css"
FONT_DIR = Path(os.environ.get("POCKET_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONTS = {  # (weight, style) -> file in FONT_DIR; embedded (subset) in every PDF
    ("normal", "normal"): "DejaVuSansCondensed.ttf",
    ("bold", "normal"): "DejaVuSansCondensed-Bold.ttf",
    ("normal", "italic"): "DejaVuSansCondensed-Oblique.ttf",
    ("bold", "italic"): "DejaVuSansCondensed-BoldOblique.ttf",
}
PDF_DIR = "guias-de-bolsillo/pdf"          # inside the built site
VERIFY_WITHIN_MONTHS = 3                   # "verify the numbers after" = print date + 3 months
DEFAULT_REVIEW_MONTHS = 12                 # contact review interval when the entry sets none
LOCAL_LINES = 5                            # blank ruled lines for local contacts
SERVICE_TYPES = ("cem", "sau", "upe", "sar")        # MIMP's regional services, in legend order
MAX_REGIONAL = 24                          # regional services printed (legible on A6); the rest: on the site
MAX_WORKERS = 2                            # this machine has 2 cores

# Where the live page of each region is, relative to site_url (directory section pages).
REGION_PAGE = {"es": "directorio/{region}/", "en": "en/directorio/{region}/"}
NATIONAL_PAGE = {"es": "directorio/", "en": "en/directorio/"}

LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "Trata de personas",
        "subtitle": "Guía de bolsillo para el personal de salud",
        "printed": "Impresa el",
        "verify_after": "Verifique los números después del",
        "verify_hint": "Pasada esa fecha, descargue una versión nueva.",
        "qr": "Versión actualizada y contactos de la región",
        "qr_national": "Versión actualizada y directorio de contactos",
        "now": "Qué hacer ahora",
        "indicators": "Señales clave",
        "indicators_hint": "Marque lo que observe. Una sola señal no prueba la trata; varias juntas, sobre todo las fuertes, justifican actuar.",
        "not_to_do": "Qué no hacer",
        "pathway": "Ruta de derivación",
        "contacts": "Servicios de la región",
        "no_contacts": "Esta guía aún no lista servicios de la región. Use las líneas nacionales y anote los locales abajo.",
        "more": "{n} servicios más de la región en el sitio: escanee el código QR de la portada.",
        "more_one": "1 servicio más de la región en el sitio: escanee el código QR de la portada.",
        "more_no_url": "{n} servicios más en la página de la región del sitio.",
        "more_no_url_one": "1 servicio más en la página de la región del sitio.",
        "no_qr": "Sin código QR: esta copia se generó sin la dirección del sitio publicado. Busque la versión actual en el sitio de la guía.",
        "province": "Provincia de {name}",
        "others": "Otras instituciones",
        "status_all": "{status}, salvo que se indique otra fuente.",
        "national": "Líneas nacionales",
        "local": "Contactos locales",
        "local_hint": "Anote a lápiz los números de su red (CEM, fiscalía, comisaría, DEMUNA).",
        "name": "Nombre",
        "phone": "Teléfono",
        "available_24h": "24 horas",
        "confidential": "ubicación confidencial",
        "no_phone": "Sin número que se pueda imprimir: llame a una línea nacional.",
        "strength": {"fuerte": "fuerte", "media": "media", "debil": "débil", "débil": "débil",
                     "strong": "fuerte", "medium": "media", "weak": "débil"},
        "confidential_note": "Confidencial: guarde esta guía fuera de la vista de pacientes y acompañantes.",
        "license": "Contenido CC BY 4.0",
    },
    "en": {
        "title": "Human trafficking",
        "subtitle": "Pocket guide for health staff",
        "printed": "Printed on",
        "verify_after": "Verify the numbers after",
        "verify_hint": "After that date, download a new copy.",
        "qr": "Latest version and the region's contacts",
        "qr_national": "Latest version and contact directory",
        "now": "What to do now",
        "indicators": "Key indicators",
        "indicators_hint": "Tick what you observe. One sign alone does not prove trafficking; several together, above all strong ones, justify acting.",
        "not_to_do": "What not to do",
        "pathway": "Referral pathway",
        "contacts": "Services in the region",
        "no_contacts": "This guide does not list the region's services yet. Use the national lines and write local ones below.",
        "more": "{n} more services in the region on the site: scan the QR code on the cover.",
        "more_one": "1 more service in the region on the site: scan the QR code on the cover.",
        "more_no_url": "{n} more services on the region's page of the site.",
        "more_no_url_one": "1 more service on the region's page of the site.",
        "no_qr": "No QR code: this copy was made without the address of the published site. Look for the current version on the guide's website.",
        "province": "{name} province",
        "others": "Other institutions",
        "status_all": "{status}, unless another source is given.",
        "national": "National lines",
        "local": "Local contacts",
        "local_hint": "Write your network's numbers in pencil (CEM, prosecutor, police station, DEMUNA).",
        "name": "Name",
        "phone": "Phone",
        "available_24h": "24 hours",
        "confidential": "confidential location",
        "no_phone": "No number that can be printed: call a national line.",
        "strength": {"fuerte": "strong", "media": "medium", "debil": "weak", "débil": "weak",
                     "strong": "strong", "medium": "medium", "weak": "weak"},
        "confidential_note": "Confidential: keep this guide out of sight of patients and companions.",
        "license": "Content CC BY 4.0",
    },
}


class PocketError(Exception):
    """A guide cannot be built (missing site_url, missing content source...)."""


# --- Content providers -------------------------------------------------------------------

def read_snippet(name: str, lang: str, includes_dir: Path | None = None) -> str:
    """Markdown of docs/_includes/<name>.<lang>.md (the same file the pages include)."""
    path = Path(includes_dir or INCLUDES_DIR) / f"{name}.{lang}.md"
    if not path.exists():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise PocketError(f"missing snippet {shown} (needed by the pocket guides)")
    return path.read_text(encoding="utf-8")


def _feature(module: str, name: str) -> Callable:
    """A function from another feature module, with a clear error if it is not there yet."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise PocketError(f"the pocket guides need {module}.{name}(): {error}") from error


def _optional(module: str, name: str) -> Callable | None:
    """A helper another slice may provide (e.g. the directory's own status line), else None."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _key_indicators(lang: str, path: Path | None = None) -> list[dict]:
    function = _feature("scripts.indicators", "key_indicators")
    return function(lang, path) if path else function(lang)


def _usable_contacts(region: str, today: dt.date, contacts_dir: Path | None = None) -> list[dict]:
    function = _feature("scripts.directory", "usable_contacts")
    return function(region, today, contacts_dir) if contacts_dir else function(region, today)


def _national_lines(today: dt.date | None = None, contacts_dir: Path | None = None) -> list[dict]:
    function = _feature("scripts.directory", "national_lines")
    return function(today, contacts_dir) if contacts_dir else function(today)


@dataclass(frozen=True)
class Providers:
    """Where each part of a guide comes from; tests inject fixture versions."""

    snippet: Callable[[str, str], str] = read_snippet                     # (name, lang) -> md
    key_indicators: Callable[[str], list[dict]] = _key_indicators         # lang -> [{id, grupo, texto, fuerza}]
    usable_contacts: Callable[[str, dt.date], list[dict]] = _usable_contacts  # (region, today) -> entries
    national_lines: Callable[[dt.date], list[dict]] = _national_lines     # (today) -> entries


def providers_for(docs_dir: Path) -> Providers:
    """Providers reading another content folder (the CLI's --docs-dir); picklable for workers."""
    docs_dir = Path(docs_dir)
    if docs_dir.resolve() == DOCS_DIR.resolve():
        return Providers()
    contacts = docs_dir / "_data" / "contactos"
    return Providers(snippet=functools.partial(read_snippet, includes_dir=docs_dir / "_includes"),
                     key_indicators=functools.partial(_key_indicators, path=docs_dir / "_data" / "indicadores.yml"),
                     usable_contacts=functools.partial(_usable_contacts, contacts_dir=contacts),
                     national_lines=functools.partial(_national_lines, contacts_dir=contacts))


def preflight(today: dt.date, docs_dir: Path = DOCS_DIR) -> list:
    """Every problem the validators find in the data a guide prints: print nothing if any.

    The same validators as the build (contacts: schema and meaning; indicators): a guide
    must never carry data the site itself would refuse.
    """
    docs_dir = Path(docs_dir)
    problems = list(_feature("scripts.directory.validate", "validate_contacts")(docs_dir / "_data" / "contactos", today))
    check = _feature("scripts.indicators", "check_indicators")
    problems += check(docs_dir / "_data" / "indicadores.yml", docs_dir / "_data" / "fuentes")
    return problems


# --- Gathering ---------------------------------------------------------------------------

def review_due(entry: dict) -> dt.date | None:
    """When a contact must be checked again: the directory's `review_due`, else verified_on + interval."""
    if as_date(entry.get("review_due")):
        return as_date(entry.get("review_due"))
    verified = as_date(entry.get("verified_on"))
    if verified is None:
        return None
    return add_months(verified, int(entry.get("review_every_months") or DEFAULT_REVIEW_MONTHS))


def printable(entry: dict, today: dt.date) -> bool:
    """Safety net on top of usable_contacts: never print an unverified, stale or exposed entry."""
    if entry.get("stale") or entry.get("status") == "stale":
        return False
    if entry.get("confidential_location") and entry.get("address"):
        return False                                   # a shelter's address must never print
    due = review_due(entry)
    return due is not None and due >= today


def printable_phones(entry: dict) -> list[dict]:
    """The phones a guide may print: never one on which the sources disagree (`conflict`)."""
    return [p for p in entry.get("phones") or [] if not p.get("conflict") and str(p.get("number") or "").strip()]


def localise(value: Any, lang: str) -> str:
    """Pick the language from an {es, en} map; plain values pass through."""
    if isinstance(value, dict):
        return str(value.get(lang) or "")
    return "" if value is None else str(value)


def status_line(entry: dict, lang: str) -> str:
    """What is known about a contact, said plainly: the directory's own wording (pages, PDFs
    and exports say it alike), never "verified" for a desk check."""
    dates = {k: as_date(entry.get(k)) for k in ("verified_on", "confirmed_by_phone_on") if entry.get(k)}
    return str(_feature("scripts.directory", "status_line")({**entry, **dates}, lang))


def _title(text: str) -> str:
    return text.title() if text.isupper() else text


def _street(address: Any, lang: str) -> str:
    """The street part of an address (the district is printed next to it, the province above)."""
    if isinstance(address, dict) and ("address_1" in address or "city" in address):
        return str(address.get("address_1") or "")
    return localise(address, lang)


def place_line(entry: dict, lang: str) -> str:
    """District and province of a regional service ("Tambopata, Tambopata"), when known."""
    parts = [localise(entry.get(key), lang).strip() for key in ("district", "province")]
    parts = [p.title() if p.isupper() else p for p in parts if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return ", ".join(parts)


def address_text(address: Any, lang: str) -> str:
    """An address as one line, whatever shape the directory gives ({address_1, city} or text)."""
    if isinstance(address, dict) and ("address_1" in address or "city" in address):
        return ", ".join(str(address[k]) for k in ("address_1", "city") if address.get(k))
    return localise(address, lang)


def contact_view(entry: dict, lang: str) -> dict:
    """What a printed card shows of one contact entry (text only, escaped by the template)."""
    phones = []
    for phone in printable_phones(entry):
        phones.append({"number": str(phone.get("number", "")),
                       "note": localise(phone.get("description"), lang),
                       "hours": localise(phone.get("hours"), lang)})
    confidential = bool(entry.get("confidential_location"))
    return {
        "id": entry.get("id", ""),
        "name": localise(entry.get("name"), lang),
        "organization": localise(entry.get("organization"), lang),
        "description": localise(entry.get("description"), lang),
        "phones": phones,
        "available_24h": bool(entry.get("available_24h")),
        "hours": localise(entry.get("hours"), lang),
        "place": place_line(entry, lang),
        "province": _province(entry),
        "street": "" if confidential else _street(entry.get("address"), lang),
        "district": _title(localise(entry.get("district"), lang).strip()),
        "service_type": str(entry.get("service_type") or ""),
        "address": "" if confidential else address_text(entry.get("address"), lang),
        "emails": [str(e) for e in entry.get("emails") or []],
        "url": "" if confidential else str(entry.get("url") or ""),
        "confidential": confidential,
        "status": status_line(entry, lang),
    }


def print_order(entries: list[dict], region: str) -> list[dict]:
    """Capital first, then by province: the directory's own order helper when it exists."""
    helper = _optional("scripts.directory", "print_order")
    return list(helper(entries, region)) if helper is not None else list(entries)


def _province(entry: dict) -> str:
    """The province a service is grouped under ('' for the hand-written institutions)."""
    return str(entry.get("province") or "") if len(str(entry.get("ubigeo") or "")) == 6 else ""


def regional_selection(entries: list[dict], region: str, today: dt.date,
                       limit: int | None = None) -> tuple[list[dict], int]:
    """(entries to print, how many more the region page has), in print order.

    Only printable entries with a printable phone. When not all fit, every province keeps
    its first service (a nurse in a province needs the nearest one), the capital's come
    first, and the rest fill the room in print order.
    """
    limit = MAX_REGIONAL if limit is None else limit
    ordered = print_order([e for e in entries if printable(e, today)], region)
    with_phone = [e for e in ordered if printable_phones(e)]
    if len(with_phone) <= limit:
        return with_phone, len(entries) - len(with_phone)
    picked: list[int] = []
    seen: set[str] = set()
    for index, entry in enumerate(with_phone):            # the first service of each province
        if _province(entry) not in seen:
            seen.add(_province(entry))
            picked.append(index)
    picked = picked[:limit]
    for index in range(len(with_phone)):                  # then fill in print order
        if len(picked) >= limit:
            break
        if index not in picked:
            picked.append(index)
    shown = [with_phone[i] for i in sorted(picked)]
    return shown, len(entries) - len(shown)


def group_by_province(views: list[dict], lang: str) -> list[dict]:
    """Printed cards grouped under their province, in the order given."""
    groups: list[dict] = []
    for view in views:
        if not groups or groups[-1]["province"] != view["province"]:
            groups.append({"province": view["province"], "items": []})
        groups[-1]["items"].append(view)
    return groups


def service_legend(entries: list[dict], lang: str) -> list[dict]:
    """One line per service type present (CEM, SAU...): its name and what it does, said once.

    Both come from the directory (type labels of the schema, the entries' own descriptions:
    the one most of the region's services of that type carry), never typed here.
    """
    from collections import Counter

    labels = _optional("scripts.directory", "labels")
    names = labels("service_type") if labels is not None else {}
    by_type: dict[str, Counter] = {}
    for entry in entries:
        kind = str(entry.get("service_type") or "")
        if kind in SERVICE_TYPES:
            by_type.setdefault(kind, Counter())[localise(entry.get("description"), lang)] += 1
    return [{"type": kind, "abbr": kind.upper(),
             "name": localise(names.get(kind), lang).removesuffix(f" ({kind.upper()})"),
             "what": by_type[kind].most_common(1)[0][0]}
            for kind in SERVICE_TYPES if kind in by_type]


def common_status(views: list[dict]) -> str:
    """The status line most printed cards share (said once above them), '' if none."""
    from collections import Counter

    counts = Counter(v["status"] for v in views if v["status"])
    return counts.most_common(1)[0][0] if counts else ""


def region_url(site_url: str, region: str, lang: str) -> str:
    """Absolute URL of the live page the QR code opens ("" without a site URL: no QR)."""
    if not site_url:
        return ""
    base = site_url if site_url.endswith("/") else site_url + "/"
    pattern = NATIONAL_PAGE[lang] if region == NATIONAL else REGION_PAGE[lang]
    return base + pattern.format(region=region)


def pdf_name(region: str, lang: str) -> str:
    """File name of one guide: guia-bolsillo-<region>-<lang>.pdf."""
    return f"guia-bolsillo-{region}-{lang}.pdf"


def markdown_to_html(text: str) -> str:
    """Snippet Markdown -> HTML with the site's extensions; internal links become text."""
    import markdown

    html = markdown.markdown(text, extensions=[
        "admonition", "attr_list", "def_list", "md_in_html", "tables",
        "pymdownx.details", "pymdownx.superfences",
        "pymdownx.snippets", "pymdownx.tasklist"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(DOCS_DIR)], "check_paths": True},
                           "pymdownx.tasklist": {"custom_checkbox": False}})
    # Links to other pages mean nothing on paper: keep their text (external ones stay).
    html = re.sub(r'<a href="(?!https?:|tel:|mailto:)[^"]*"[^>]*>(.*?)</a>', r"\1", html, flags=re.S)
    # Section headings inside a snippet sit below the guide's own <h2>.
    html = re.sub(r"<(/?)h[12]\b", r"<\1h3", html)
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html, flags=re.S)
    return re.sub(r"<!--.*?-->", "", html, flags=re.S)


# Internal references a reader must never see on paper (issue 15): source codes such as
# "(s02)" or "(S26, S41)", the content brief's name and section marks.
INTERNAL_REF_RE = re.compile(r"\s*\((?:[sS]\d{2,3}(?:\s*[,;]\s*[sS]?\d{2,3})*)\)|FACTS\.md(?:\s*§\s*[\w.]+)?"
                             r"|\s*\((?:fuente por confirmar|source to be confirmed)\)")


def internal_references(text: str) -> list[str]:
    """Internal references found in printed text (the guide must have none)."""
    return [m.group(0).strip() for m in INTERNAL_REF_RE.finditer(text)]


@dataclass
class GuideContent:
    """Everything one guide shows, already in its language."""

    region: str
    lang: str
    region_name: str
    printed_on: dt.date
    verify_after: dt.date
    url: str
    qr_svg: str
    steps_html: str
    not_to_do_html: str
    pathway_html: str
    indicator_groups: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    contact_groups: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)
    status_common: str = ""
    more_contacts: int = 0
    national: list[dict] = field(default_factory=list)


def qr_svg(url: str) -> str:
    """QR code as an inline SVG data URI (an <img> can carry alt text into the tagged PDF)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_data_uri(border=2, omitsize=True, dark="#000")


def group_indicators(items: list[dict], lang: str) -> list[dict]:
    """Indicators grouped by `grupo`, in the order the data gives them."""
    groups: dict[str, list[dict]] = {}
    strength = LABELS[lang]["strength"]
    for item in items:
        group = localise(item.get("grupo_nombre") or item.get("grupo"), lang)
        level = localise(item.get("fuerza"), lang).strip().lower()
        groups.setdefault(group, []).append({
            "id": item.get("id", ""),
            "text": localise(item.get("texto"), lang),
            "strength": strength.get(level, level),
            "strength_class": {"fuerte": "strong", "strong": "strong", "media": "medium",
                               "medium": "medium"}.get(level, "weak" if level else ""),
        })
    return [{"name": name, "items": entries} for name, entries in groups.items()]


def _clean_snippet(html: str) -> str:
    return INTERNAL_REF_RE.sub("", html)


def gather_guide(region: str, lang: str, today: dt.date, site_url: str,
                 providers: Providers = Providers()) -> GuideContent:
    """Collect one guide's content from the providers (no rendering)."""
    if region not in REGIONS:
        raise PocketError(f"unknown region '{region}' (known: {', '.join(REGIONS)})")
    if lang not in LANGUAGES:
        raise PocketError(f"unknown language '{lang}' (known: {', '.join(LANGUAGES)})")
    url = region_url(site_url, region, lang)
    regional, more = ([], 0) if region == NATIONAL else regional_selection(
        list(providers.usable_contacts(region, today)), region, today)
    # National lines print even when their review is overdue (a nurse needs 1818 and 100),
    # but with what is known about them, never "verified on".
    national = [e for e in providers.national_lines(today) if printable_phones(e)]
    views = [contact_view(e, lang) for e in regional]
    dues = [d for d in (review_due(e) for e in regional) if d and d >= today]
    verify_after = min([add_months(today, VERIFY_WITHIN_MONTHS), *dues])
    return GuideContent(
        region=region, lang=lang, region_name=REGION_NAMES[region][lang],
        printed_on=today, verify_after=verify_after, url=url, qr_svg=qr_svg(url) if url else "",
        steps_html=_clean_snippet(markdown_to_html(providers.snippet(SNIPPETS["pasos"], lang))),
        not_to_do_html=_clean_snippet(markdown_to_html(providers.snippet(SNIPPETS["no_hacer"], lang))),
        pathway_html=_clean_snippet(markdown_to_html(providers.snippet(SNIPPETS["ruta"], lang))),
        indicator_groups=group_indicators(providers.key_indicators(lang), lang),
        contacts=views, contact_groups=group_by_province(views, lang),
        legend=service_legend(regional, lang), status_common=common_status(views), more_contacts=more,
        national=[contact_view(e, lang) for e in national],
    )


# --- Rendering -------------------------------------------------------------------------

def font_faces() -> str:
    """@font-face rules pointing at local DejaVu files (embedded, no web fonts)."""
    rules = []
    for (weight, style), name in FONTS.items():
        path = FONT_DIR / name
        if not path.exists():
            raise PocketError(f"font not found: {path} (apt-get install fonts-dejavu-core "
                              f"fonts-dejavu-extra, or set POCKET_FONT_DIR)")
        rules.append(f'@font-face {{ font-family: "KB Pocket"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


def render_html(content: GuideContent) -> str:
    """The guide as one HTML document (Jinja, autoescaped; snippets are trusted HTML)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template(TEMPLATE)
    return template.render(
        g=content, t=LABELS[content.lang],
        printed_on=format_date(content.printed_on, content.lang),
        verify_after=format_date(content.verify_after, content.lang),
        css=font_faces() + "\n" + CSS_FILE.read_text(encoding="utf-8"),
        local_lines=range(LOCAL_LINES), markup=jinja2.utils.markupsafe.Markup)


_RENDER_STATE: dict[str, Any] = {}     # per process: fonts and images loaded once, reused


def allowed_roots() -> tuple[Path, ...]:
    """Folders a guide may load files from: the project and the configured font folder."""
    return (ROOT.resolve(), FONT_DIR.resolve())


def check_fetch(url: str) -> Path | None:
    """The project file WeasyPrint may load for `url` (None for a data: URI), else PocketError.

    A guide is printed from the project's own files only: an include or a data file that
    names another host (even 127.0.0.1), another scheme or a file outside the project
    stops the print instead of being fetched.
    """
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return None
    if scheme != "file":
        raise PocketError(f"refused to fetch {url[:200]!r}: a pocket guide loads only files of the "
                          f"project, never a {scheme or 'relative'} URL (remove it from the snippet, "
                          f"template or data that names it)")
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise PocketError(f"refused to fetch {url[:200]!r}: a file URL on another host")
    path = Path(url2pathname(parts.path)).resolve()
    if not any(path.is_relative_to(root) for root in allowed_roots()):
        raise PocketError(f"refused to fetch {url[:200]!r}: outside the project folder {ROOT}")
    return path


def url_fetcher():
    """A WeasyPrint URL fetcher that serves only check_fetch()-approved URLs (and fails loudly)."""
    if "fetcher_class" not in _RENDER_STATE:
        from weasyprint.urls import URLFetcher

        class ProjectURLFetcher(URLFetcher):
            """WeasyPrint's fetcher, limited to data: URIs and the project's own files."""

            def fetch(self, url, headers=None):
                check_fetch(url)
                return super().fetch(url, headers)

        _RENDER_STATE["fetcher_class"] = ProjectURLFetcher
    return _RENDER_STATE["fetcher_class"](allowed_protocols=("data", "file"), fail_on_errors=True,
                                          allow_redirects=False, timeout=5)


def write_pdf(html: str, target: Path) -> Path:
    """HTML -> tagged PDF (PDF/UA-1: tags, document language and title) at `target`."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    if "font_config" not in _RENDER_STATE:
        _RENDER_STATE.update(font_config=FontConfiguration(), cache={})
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        weasyprint.HTML(string=html, base_url=str(ROOT), url_fetcher=url_fetcher()).write_pdf(
            str(target), pdf_variant="pdf/ua-1", pdf_tags=True,
            font_config=_RENDER_STATE["font_config"], cache=_RENDER_STATE["cache"])
    except FatalURLFetchingError as error:
        cause = error.__cause__
        target.unlink(missing_ok=True)
        if isinstance(cause, PocketError):
            raise PocketError(f"{target.name}: {cause}") from None
        raise PocketError(f"{target.name}: {error} ({type(cause).__name__}: {cause})") from None
    return target


def build_guide(region: str, lang: str, today: dt.date, site_url: str, out_dir: Path,
                providers: Providers = Providers()) -> Path:
    """One region × language: gather, render, write; returns the PDF path."""
    content = gather_guide(region, lang, today, site_url, providers)
    return write_pdf(render_html(content), Path(out_dir) / pdf_name(region, lang))


def _build_one(job: tuple) -> str:
    region, lang, today, site_url, out_dir, providers = job
    return str(build_guide(region, lang, today, site_url, out_dir, providers))


def build_all(out_dir: Path, today: dt.date, site_url: str, providers: Providers = Providers(),
              regions: tuple[str, ...] = REGIONS, workers: int = MAX_WORKERS) -> list[Path]:
    """All guides (regions × languages) into out_dir, in `workers` processes."""
    # Fail early, in this process, with one clear message (fonts, sources).
    font_faces()
    jobs = [(r, lang, today, site_url, Path(out_dir), providers) for r in regions for lang in LANGUAGES]
    if workers <= 1:
        return [Path(_build_one(job)) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [Path(p) for p in pool.map(_build_one, jobs)]


# --- In the site build: cached under `mkdocs serve`, sizes for the links ------------------

GUIDES_ENV = "POCKET_GUIDES"          # 0: skip the PDFs; rebuild: print them again even if cached
PUBLISHED_URL_ENV = "PUBLISHED_SITE_URL"   # the QR target when the build has no site_url (offline copy)
CACHE_DIR = ROOT / ".cache" / "pocket-guides"
CACHE_KEEP = 2                        # cached sets kept (older ones are deleted)
MANIFEST = "manifest.json"
# What a guide is made of: if none of these changes, the 26 PDFs are the same (given the date
# and the QR address, which are part of the fingerprint too).
FINGERPRINT_INPUTS = ("docs/_data", "docs/_includes", "scripts", "overrides/partials/pocket-guide.html",
                      "docs/assets/stylesheets/pocket-a6.css")

# One build's guides (filled by prepare_site_guides, read by the markers and the hook).
_SITE: dict[str, Any] = {}
_SESSION: dict[str, str] = {"command": "build"}


def guides_mode() -> str:
    """POCKET_GUIDES: 'off' (0/false/no), 'rebuild' (rebuild/force) or 'on' (default)."""
    value = os.environ.get(GUIDES_ENV, "1").strip().lower()
    if value in ("0", "false", "no", "off"):
        return "off"
    return "rebuild" if value in ("rebuild", "force") else "on"


def guides_enabled(site_url: str = "") -> bool:
    """The build writes the PDFs unless POCKET_GUIDES=0 (without a site URL they have no QR)."""
    return guides_mode() != "off"


def qr_base_url(site_url: str) -> str:
    """Where the QR codes point: $PUBLISHED_SITE_URL, else the build's site_url, else nowhere."""
    return (os.environ.get(PUBLISHED_URL_ENV) or site_url or "").strip()


def set_command(command: str) -> None:
    """Remember the MkDocs command (`serve` keeps the PDFs between rebuilds)."""
    _SESSION["command"] = command


def _input_files() -> list[Path]:
    files = []
    for name in FINGERPRINT_INPUTS:
        path = ROOT / name
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [f for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts]
    files += [FONT_DIR / name for name in FONTS.values()]
    return sorted(files)


def fingerprint(today: dt.date, qr_url: str, regions: tuple[str, ...] = REGIONS) -> str:
    """SHA-256 of everything a guide is made of: data, snippets, template, CSS, fonts, code,
    library versions, the print date and the QR address."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256()
    for value in (today.isoformat(), qr_url, ",".join(regions)):
        digest.update(value.encode() + b"\0")
    for package in ("weasyprint", "segno", "markdown", "pymdown-extensions", "jinja2"):
        try:
            digest.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?\0".encode())
    for path in _input_files():
        shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        digest.update(shown.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def _sizes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sorted(folder.glob("*.pdf"))}


def _check_data(today: dt.date) -> None:
    problems = preflight(today)
    if problems:
        raise PocketError("the data has problems, no guide was printed:\n"
                          + "\n".join(p.format() for p in problems))


def prepare_site_guides(site_url: str, today: dt.date, command: str | None = None,
                        cache_dir: Path | None = None, build=build_all) -> dict[str, Any]:
    """Print (or reuse) the 26 guides of this build before the pages, so links can show sizes.

    Under `mkdocs serve` the set is kept in .cache/pocket-guides/<fingerprint>/ and printed
    again only when an input changes (or with POCKET_GUIDES=rebuild); any other command
    prints them afresh into a temporary folder. Returns the state the markers read.
    """
    import json
    import shutil
    import tempfile

    _SITE.clear()
    mode = guides_mode()
    if mode == "off":
        _SITE.update(enabled=False)
        return dict(_SITE)
    command = command or _SESSION["command"]
    qr_url = qr_base_url(site_url)
    if command == "serve":
        root = Path(cache_dir or CACHE_DIR)
        key = fingerprint(today, qr_url)
        folder = root / key
        manifest = folder / MANIFEST
        reused = mode != "rebuild" and manifest.is_file() and json.loads(manifest.read_text()) == _sizes(folder)
        if not reused:
            _check_data(today)
            shutil.rmtree(folder, ignore_errors=True)
            partial = root / f"{key}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            build(partial, today, qr_url)
            partial.rename(folder)
            (folder / MANIFEST).write_text(json.dumps(_sizes(folder)), encoding="utf-8")
            for old in sorted((d for d in root.iterdir() if d.is_dir() and d != folder),
                              key=lambda d: d.stat().st_mtime, reverse=True)[CACHE_KEEP - 1:]:
                shutil.rmtree(old, ignore_errors=True)
        else:
            os.utime(folder)
        _SITE.update(enabled=True, folder=folder, temporary=False, reused=reused)
    else:
        _check_data(today)
        folder = Path(tempfile.mkdtemp(prefix="kb-pocket-"))
        build(folder, today, qr_url)
        _SITE.update(enabled=True, folder=folder, temporary=True, reused=False)
    _SITE.update(sizes=_sizes(folder), qr=bool(qr_url))
    return dict(_SITE)


def publish_site_guides(target: Path) -> list[Path]:
    """Copy this build's guides into <site>/guias-de-bolsillo/pdf/ (and drop a temporary set)."""
    import shutil

    if not _SITE.get("enabled"):
        return []
    folder = Path(_SITE["folder"])
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _SITE["sizes"]:
        destination = target / name
        destination.unlink(missing_ok=True)
        try:
            os.link(folder / name, destination)       # same file system: no copy at all
        except OSError:
            shutil.copyfile(folder / name, destination)
        written.append(destination)
    if _SITE.get("temporary"):
        shutil.rmtree(folder, ignore_errors=True)
        _SITE["temporary"] = False
    return written


def site_guides() -> dict[str, Any]:
    """What the markers know about this build's guides: enabled, sizes (bytes by file), qr."""
    return dict(_SITE)


def remember_site_guides(enabled: bool, sizes: dict[str, int] | None = None, qr: bool = True) -> None:
    """Set the markers' state directly (tests, tools that render pages without a build)."""
    _SITE.clear()
    _SITE.update(enabled=enabled, sizes=dict(sizes or {}), qr=qr)


# --- Site links ------------------------------------------------------------------------

LINK_WORDS = {
    "es": {"guide": "Guía de {name}", "national": "Guía nacional", "es": "español", "en": "inglés"},
    "en": {"guide": "{name} guide", "national": "National guide", "es": "Spanish", "en": "English"},
}


def size_text(size: int | None) -> str:
    """'43 KB' (kibibytes, rounded up so a small file never shows 0 KB; a no-break space keeps
    the number and the unit on one line)."""
    return f"{max(1, -(-size // 1024))}\u00a0KB" if size else ""


def link_text(region: str, file_lang: str, page_lang: str, size: int | None) -> str:
    """A link a screen reader can read alone: 'Guía de Puno, español, PDF, 43 KB'."""
    words = LINK_WORDS[page_lang]
    name = words["national"] if region == NATIONAL else words["guide"].format(name=REGION_NAMES[region][page_lang])
    parts = [name, words[file_lang], "PDF", size_text(size)]
    return ", ".join(p for p in parts if p)


def guide_links(lang: str, page_url: str, regions: tuple[str, ...] = REGIONS,
                sizes: dict[str, int] | None = None) -> list[dict]:
    """Download links (relative to the page at `page_url`), page language first."""
    from mkdocs.utils import get_relative_url

    sizes = sizes or {}
    order = (lang,) + tuple(other for other in LANGUAGES if other != lang)
    links = []
    for region in regions:
        row = {"region": region, "name": REGION_NAMES[region][lang], "files": {}, "links": []}
        for file_lang in order:
            name = pdf_name(region, file_lang)
            href = get_relative_url(f"{PDF_DIR}/{name}", page_url)
            row["files"][file_lang] = href
            row["links"].append({"lang": file_lang, "href": href, "size": sizes.get(name),
                                 "text": link_text(region, file_lang, lang, sizes.get(name))})
        links.append(row)
    return links


# --- CLI -------------------------------------------------------------------------------

def add_arguments(name, parser) -> None:
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "guias-de-bolsillo",
                        help="output folder (default: dist/guias-de-bolsillo/)")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL", ""),
                        help="published site URL for the QR codes (default: $SITE_URL; none: no QR)")
    parser.add_argument("--region", action="append", choices=REGIONS,
                        help="only this region (repeatable; default: all)")


def run_pocket_guides(args) -> int:
    """CLI: validate the data, then build the guides; print where they are and how long it took."""
    start = time.perf_counter()
    docs_dir = getattr(args, "docs_dir", DOCS_DIR)
    try:
        problems = preflight(args.today, docs_dir)
    except PocketError as error:
        print(f"pocket-guides: {error}")
        return 1
    if problems:
        for problem in problems:
            print(problem.format())
        print(f"pocket-guides: refused to print: {len(problems)} problem(s) in the data above "
              f"(the site build refuses them too). Fix them and run again.")
        return 1
    try:
        paths = build_all(args.out, args.today, args.site_url, providers=providers_for(docs_dir),
                          regions=tuple(args.region or REGIONS))
    except PocketError as error:
        print(f"pocket-guides: {error}")
        return 1
    seconds = time.perf_counter() - start
    biggest = max(p.stat().st_size for p in paths) // 1024
    print(f"{len(paths)} pocket guides in {args.out} ({seconds:.1f} s, largest {biggest} KB)")
    if not args.site_url:
        print("pocket-guides: no --site-url (or $SITE_URL): the guides have no QR code and say why.")
    return 0


# --- Markers: download links on the site -------------------------------------------------

def _marker_links(ctx, regions: tuple[str, ...]) -> dict:
    page = ctx.extra.get("page")
    page_url = page.url if page is not None else ""
    state = site_guides()
    return {"rows": guide_links(ctx.lang, page_url, regions, state.get("sizes")),
            "enabled": bool(state.get("enabled")), "qr": bool(state.get("qr")),
            "lang": ctx.lang}


def _register_markers() -> None:
    from scripts.markers import MarkerError, register

    @register("guias")
    def render_guides_table(ctx) -> str:
        """All 26 guides: one row per region, a PDF link per language."""
        return ctx.render("partials/kb-pocket-guides.html", **_marker_links(ctx, REGIONS))

    @register("guia-region")
    def render_region_guide(ctx) -> str:
        """The two PDFs (es, en) of `region=` or else the page's `region:` front matter."""
        region = ctx.args.get("region") or ctx.meta.get("region")
        if region not in REGIONS:
            raise MarkerError(f"kb:guia-region needs front matter 'region:' (or region=...) set to "
                              f"one of {', '.join(REGIONS)} (got {region!r})")
        return ctx.render("partials/kb-pocket-region.html", **_marker_links(ctx, (region,)))


_register_markers()
