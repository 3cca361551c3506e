"""Contact directory: the regional and national contacts of docs/_data/contactos/*.yml.

One file per region (plus `nacional.yml`); the fields follow Open Referral HSDS where it
has them (scripts/schemas/contact.schema.json). A wrong number can hurt a patient, so the
validator checks meaning as well as shape, and every problem names file, line and field.

Modules (each imports only those above it, `importer` aside; nothing imports `exports` or `render`):

    common     constants (regions, short codes, export file names), `text(value, lang)`
    phones     parse_phone / tel_href (phonenumbers; E.164 `tel:` targets)
    model      loading files, plain views of entries (`region_views`, `directory_views`)
    privacy    never published (shelters, CAI, person's names) and hostile text (used by validate)
    validate   JSON Schema + meaning + cross-file rules; review dates (`overdue_entries`)
    importer   `python -m scripts import-mimp`: data/mimp/ -> docs/_data/contactos/mimp/<region>.yml
    printing   what pocket guides and exports print: `usable_contacts`, `national_lines`,
               `status_line`, `print_order`, `province_groups`, `phone_note`
    render     the markers kb:contactos, kb:servicios, kb:lineas-nacionales, kb:directorio, kb:datos-abiertos
    exports    HSDS JSON, CSV and vCards written by the build (owned by the pocket/exports slice)
    cli        `python -m scripts validate-contacts | report-contacts | import-mimp`
    bench      `python -m scripts.directory.bench` (10,000 generated entries)

API for pocket guides and exports (stable; import from `scripts.directory`)::

    usable_contacts(region, today) -> list[dict]
        The region's entries that may be printed: verified (have `verified_on` and a
        source), not stale on `today` (verified_on + review interval >= today, for the
        entry and every phone), and not a confidential location that carries an address.
        Pass include_stale=True to keep stale ones (each dict has "stale": True/False).
    national_lines(today=None, hotlines_only=True) -> list[dict]
        The national lines (nacional.yml, `hotline: true`) in file order, stale or not:
        check the "stale" flag before printing.

    Each dict holds: id, region, ubigeo, service_type, name/description/organization/
    notes/service_area/hours/languages_note as {"es": ..., "en": ...} (use
    `text(d["name"], lang)`), languages (ISO 639-3 codes), available_24h,
    confidential_location, emails, url, address (None when confidential), source,
    source_url, verified_on (date), review_due (date), stale (bool), and phones: a list of
    {number (as displayed), href ("tel:+5116255555" or "tel:1818"), e164 (or None for
    short codes), short_code (bool), type, free, available_24h, description, hours,
    languages, verified_on, stale, conflict (bool), listed_in (dataset ids)}.
    Imported services (service_type cem | sar | sau | upe; labels {es, en} from
    `labels("service_type")`) also carry: ubigeo (6 digits), province, district,
    latitude/longitude (or None), confirmed_by_phone_on (date or None) and provenance:
    {dataset, record, title {es, en}, official_name, official_url, edition, file, read_from,
    sha256, imported_on}. Hand-written entries have provenance None and a 2-digit ubigeo.
    A phone with conflict: true is one the two MIMP files disagree on: do not print it in a
    pocket guide; on screen say it must be confirmed (`phone_note(phone, lang)`).

    status_line(entry, lang) -> str
        What is known, in one line: "Listado en el directorio del MIMP (edición 2026)" /
        "Listed in MIMP's directory, 2026 edition", "Confirmado por teléfono el <fecha>" /
        "Confirmed by phone on <date>", or "Según fuente de <fecha>" / "According to a
        source dated <date>". Never "verificado"; never a review-overdue warning.
    print_order(entries, region=None) -> list[dict]
        Capital province first (its CEM, SAU, UPE on top), then the other provinces A-Z,
        then the hand-written institutions. `province_groups(entries)` gives
        [(province, entries)] in that order ('' for the hand-written ones).
"""

from scripts.directory.common import (CONTACTS_DIR, NATIONAL, REGIONS, SHORT_CODES, export_names, text,  # noqa: F401
                                      vcard_name)
from scripts.directory.model import directory_views, labels, region_views  # noqa: F401
from scripts.directory.printing import (national_lines, phone_note, print_order, province_groups,  # noqa: F401
                                        status_line, usable_contacts)
