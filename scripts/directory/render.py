"""Rendering: the directory's markers (cards, national lines, directory home, open data).

Templates are the autoescaped partials kb-contact-cards, kb-lines, kb-directory and
kb-open-data in overrides/partials/; this module only prepares plain values for them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scripts import DEFAULT_LANGUAGE
from scripts.directory.common import (CONTACTS_DIR, EXPORT_DIR, NATIONAL, NATIONAL_FILE, REGIONS, export_names,
                                      text)
from scripts.directory.model import directory_views, labels, load_contact_file, region_views
from scripts.directory.phones import tel_href
from scripts.directory.printing import (is_capital, phone_note, print_order, prose_date, province_groups,
                                        status_line)
from scripts.markers import MarkerContext, MarkerError, register

# --- Markers ---------------------------------------------------------------------

def _today(ctx: MarkerContext) -> dt.date:
    """The build date (tests may pass extra['today'])."""
    return ctx.extra.get("today") or dt.date.today()


_format_date = prose_date   # one implementation (scripts/directory/printing.py)


def card_data(view: dict, lang: str) -> dict:
    """What the card template shows, in one language (all values plain text)."""
    lang_labels = labels("language")
    type_labels = labels("service_type")
    languages = [text(lang_labels.get(code, code), lang) for code in view["languages"]]
    phones = []
    for phone in view["phones"]:
        phones.append({
            "number": phone["number"], "href": phone["href"],
            "description": text(phone["description"], lang), "hours": text(phone["hours"], lang),
            "free": phone["free"], "available_24h": phone["available_24h"],
            "languages": [text(lang_labels.get(c, c), lang) for c in phone["languages"]
                          if phone["languages"] != view["languages"]],
            "verified_on": (_format_date(phone["verified_on"], lang, phone["verified_precision"] or "day")
                            if phone["own_date"] else ""),
            "verified_exact": (phone["verified_precision"] or "day") == "day",
            "conflict": phone.get("conflict", False),
            "conflict_note": phone_note(phone, lang),
        })
    address = view["address"]
    return {
        "id": view["id"],
        "name": text(view["name"], lang),
        "organization": text(view["organization"], lang),
        "type": view["service_type"],
        "type_label": text(type_labels.get(view["service_type"], view["service_type"]), lang),
        "description": text(view["description"], lang),
        "notes": text(view["notes"], lang),
        "service_area": text(view["service_area"], lang),
        "hours": text(view["hours"], lang),
        "available_24h": view["available_24h"],
        "languages": languages,
        "languages_note": text(view["languages_note"], lang),
        "emails": view["emails"],
        "url": view["url"],
        "address": f"{address['address_1']}, {address['city']}" if address else "",
        "province": view.get("province") or "",
        "district": view.get("district") or "",
        "imported": bool(view.get("provenance")),
        "status": status_line(view, lang),
        "confidential": view["confidential_location"],
        "source": view["source"],
        "source_url": view["source_url"],
        "verified_on": _format_date(view["verified_on"], lang, view["verified_precision"]),
        "verified_iso": view["verified_on"].isoformat() if view["verified_on"] else "",
        "verified_exact": view["verified_precision"] == "day",
        "review_months": view["review_every_months"],
        "stale": view["stale"],
        "phones": phones,
    }


def _contacts_dir(ctx: MarkerContext) -> Path:
    return Path(ctx.extra.get("contacts_dir") or CONTACTS_DIR)


@register("lineas-nacionales", keep=True)
def render_national_lines(ctx: MarkerContext) -> str:
    """Compact list of national lines (home page help block, directory, guides)."""
    data = load_contact_file(_contacts_dir(ctx) / NATIONAL_FILE)
    wanted = [i for i in ctx.args.get("ids", "").split(",") if i]
    entries = [e for e in data["entries"] if (e["id"] in wanted if wanted else e.get("hotline"))]
    missing = set(wanted) - {e["id"] for e in entries}
    if missing:
        raise MarkerError(f"unknown national line ids: {', '.join(sorted(missing))}")
    if wanted:
        entries.sort(key=lambda e: wanted.index(e["id"]))
    brief = ctx.args.get("formato") == "resumen"        # home page: what each line is for, whole
    unsummarised = [e["id"] for e in entries if brief and not text(e.get("summary"), ctx.lang)]
    if unsummarised:
        raise MarkerError(f"formato=resumen: no summary for {', '.join(unsummarised)}: add "
                          "summary: {es: ..., en: ...} (60 characters at most) to docs/_data/contactos/nacional.yml")
    lines = []
    for entry in entries:
        phone = entry["phones"][0]
        lines.append({
            "id": entry["id"],
            "name": text(entry["name"], ctx.lang),
            "description": text(entry.get("summary" if brief else "description"), ctx.lang),
            "number": phone["number"],
            "href": tel_href(phone["number"]),
            "note": text(phone.get("description"), ctx.lang),
            "available_24h": bool(entry.get("available_24h")),
            "verified_on": entry.get("verified_on"),
            # where a line does not reach the whole country (SAMU 106), say so even in the compact list
            "area": ("" if text(entry.get("service_area"), "es") in ("", "Todo el Perú")
                     else text(entry.get("service_area"), ctx.lang)),
        })
    return ctx.render("partials/kb-lines.html", lines=lines, lang=ctx.lang,
                      compact=ctx.args.get("formato") in ("compacto", "rejilla"),
                      grid=ctx.args.get("formato") == "rejilla")


@register("contactos", keep=True)
def render_contacts(ctx: MarkerContext) -> str:
    """Contact cards of a region (front matter `region:` or `region=` argument)."""
    region = ctx.args.get("region") or ctx.meta.get("region")
    if not region:
        raise MarkerError("kb:contactos needs 'region:' in front matter or a region= argument")
    today = _today(ctx)
    views = region_views(region, _contacts_dir(ctx), today)
    if ctx.args.get("solo") == "lineas":
        views = [v for v in views if v["hotline"]]
    elif ctx.args.get("solo") == "instituciones":
        views = [v for v in views if not v["hotline"]]
    has_number = any(v["phones"] for v in views)          # the region's MIMP services included
    views = [v for v in views if not v.get("provenance")]  # imported services: kb:servicios
    cards = [card_data(v, ctx.lang) for v in views]
    return ctx.render("partials/kb-contact-cards.html", cards=cards, lang=ctx.lang, region=region,
                      national=region == NATIONAL, has_number=has_number)


def province_anchor(province: str) -> str:
    """Anchor of a province group: the same in both languages ('prov-la-convencion')."""
    from scripts.directory.importer import slug

    return f"prov-{slug(province)}"


@register("servicios", keep=True)
def render_services(ctx: MarkerContext) -> str:
    """The region's MIMP services (CEM, SAR, SAU, UPE) by province, capital first, with jump links."""
    region = ctx.args.get("region") or ctx.meta.get("region")
    if not region or region not in REGIONS:
        raise MarkerError("kb:servicios needs a region (front matter 'region:' or region=) of the 12")
    views = [v for v in region_views(region, _contacts_dir(ctx), _today(ctx)) if v.get("provenance")]
    if not views:
        raise MarkerError(f"kb:servicios: no imported services for {region!r} (run python -m scripts import-mimp)")
    groups = []
    for province, entries in province_groups(views):
        groups.append({"province": province, "anchor": province_anchor(province),
                       "capital": any(is_capital(e) for e in entries),
                       "cards": [card_data(v, ctx.lang) for v in entries]})
    counts = {kind: sum(1 for v in views if v["service_type"] == kind) for kind in ("cem", "sau", "upe", "sar")}
    type_labels = labels("service_type")
    summary = [{"kind": k, "count": n, "label": text(type_labels[k], ctx.lang)} for k, n in counts.items() if n]
    first = views and print_order(views)[0]
    return ctx.render("partials/kb-contact-cards.html", groups=groups, cards=[], lang=ctx.lang, region=region,
                      national=False, has_number=True, summary=summary, total=len(views),
                      edition=status_line(first, ctx.lang) if first else "")


def _page_href(ctx: MarkerContext, key: str, anchor: str = "") -> str:
    """Relative link from the current page to another page (directory or .html URLs, /en/)."""
    page, config = ctx.extra.get("page"), ctx.extra.get("config")
    directory_urls = bool(config.get("use_directory_urls", True)) if config is not None else True
    prefix = "" if ctx.lang == DEFAULT_LANGUAGE else f"{ctx.lang}/"
    name = key[:-len("/index")] if key.endswith("/index") else key
    target = f"{prefix}{name}/" if directory_urls else f"{prefix}{key}.html"
    href = _relative_url(target, page.url) if page is not None else target
    return f"{href}#{anchor}" if anchor else href


IMPORTED_TYPES = ("cem", "sau", "upe", "sar")


@register("directorio", keep=True)
def render_directory(ctx: MarkerContext) -> str:
    """Directory home: every region (vista=regiones) or every service type (vista=tipos), no JS.

    MIMP's services (hundreds) are counted per region with a link to the region page, where
    they are listed by province; the hand-written institutions are listed one by one.
    """
    today = _today(ctx)
    views = directory_views(_contacts_dir(ctx), today)
    type_labels = labels("service_type")
    regions = []
    for slug, (ubigeo, name) in sorted(REGIONS.items(), key=lambda item: item[1][1]):
        entries = views.get(slug, [])
        imported = [v for v in entries if v.get("provenance")]
        regions.append({"slug": slug, "name": name, "ubigeo": ubigeo,
                        "href": _page_href(ctx, f"directorio/{slug}"),
                        "services_href": _page_href(ctx, f"directorio/{slug}", "servicios"),
                        "services": [{"kind": k, "count": sum(1 for v in imported if v["service_type"] == k)}
                                     for k in IMPORTED_TYPES if any(v["service_type"] == k for v in imported)],
                        "services_total": len(imported),
                        "entries": [card_data(v, ctx.lang) for v in entries if not v.get("provenance")]})
    by_type: dict[str, list[dict]] = {}
    for slug, entries in views.items():
        for view in entries:
            if view.get("provenance"):
                continue
            card = card_data(view, ctx.lang)
            card["region_name"] = REGIONS.get(slug, ("", ""))[1]
            card["href"] = (_page_href(ctx, f"directorio/{slug}", view["id"]) if slug in REGIONS
                            else f"#{view['id']}")
            by_type.setdefault(view["service_type"], []).append(card)
    for kind in IMPORTED_TYPES:
        for region in regions:
            count = next((s["count"] for s in region["services"] if s["kind"] == kind), 0)
            if count:
                by_type.setdefault(kind, []).append({"name": region["name"], "href": region["services_href"],
                                                     "count": count, "phones": [], "region_name": ""})
    types = [{"id": key, "label": text(label, ctx.lang), "entries": by_type[key],
              "imported": key in IMPORTED_TYPES}
             for key, label in type_labels.items() if key in by_type]
    return ctx.render("partials/kb-directory.html", regions=regions, types=types, lang=ctx.lang,
                      view=ctx.args.get("vista", "regiones"))


@register("datos-abiertos", keep=True)
def render_open_data(ctx: MarkerContext) -> str:
    """Links to the open-data exports (written by the build into directorio/datos/)."""
    region = ctx.args.get("region") or ctx.meta.get("region")
    names = export_names(region if region and region != NATIONAL else None)
    page = ctx.extra.get("page")
    files = []
    for item in names:
        target = f"{EXPORT_DIR}/{item['file']}"
        href = target if page is None else _relative_url(target, page.url)
        files.append({**item, "href": href})
    return ctx.render("partials/kb-open-data.html", files=files, lang=ctx.lang)


def _relative_url(target: str, page_url: str) -> str:
    """Link from a page URL to a file at the site root (works for / and /en/, and file://)."""
    from mkdocs.utils import get_relative_url

    return get_relative_url(target, page_url or "./")
