"""Legal pages: the legal-review notice `<!-- kb:revision-legal -->` (issue 15, FACTS §10a).

Every page of marco-legal/ carries it (a test checks), and any page that states an
unverified legal point may; the words are typed once, here, in both languages.
"""

from __future__ import annotations

from scripts.markers import MarkerContext, register

MARKER = "revision-legal"
NOTICE = {
    "es": {
        "title": "Pendiente de revisión legal.",
        "text": "Esta página resume normas peruanas. Lo marcado «pendiente de revisión legal» o "
                "«por confirmar» no se pudo verificar en el texto oficial. Ante un caso concreto, "
                "consulte a la asesoría legal de su establecimiento o de la DIRESA.",
    },
    "en": {
        "title": "Needs legal review.",
        "text": "This page summarises Peruvian law. Points marked “needs legal review” or “to be "
                "confirmed” could not be checked against the official text. For a real case, ask "
                "your facility's or DIRESA's legal adviser.",
    },
}


@register(MARKER, keep=True)
def render_legal_review(ctx: MarkerContext) -> str:
    """The legal-review notice in the page's language."""
    return ctx.render("partials/kb-legal-review.html", notice=NOTICE[ctx.lang])
