"""Decision-flow diagrams: YAML data in docs/_data/flujos/, checked and drawn as SVG at build time.

One flow is typed once and shown twice: as an inline SVG (no JavaScript, no other host) and
as a numbered text version for screen readers, print and small screens.
Flows run top to bottom: every `next`/`to` must point to a LATER step, so a flow has no
cycles and the drawing order is the file order.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any


from scripts import DATA_DIR, LANGUAGES
from scripts.problems import Problem, relpath, unknown_fields
from scripts.yamlutil import SYNTAX_HINT, line_of, read_yaml_file

FLOWS_DIR = DATA_DIR / "flujos"
KINDS = ("action", "decision", "end", "alert")
DEFAULT_KIND = "action"
FLOW_FIELDS = {"id", "title", "steps"}
STEP_FIELDS = {"id", "text", "kind", "next", "branches"}
BRANCH_FIELDS = {"label", "to"}

# Interface words of the text version, per language.
STRINGS = {
    "es": {"text_version": "Versión en texto del diagrama", "step": "paso", "if": "Si",
           "then": "Luego", "diagram": "Diagrama de flujo", "end": "Fin.",
           "desc": "Diagrama de flujo con {n} pasos. La misma información está en la lista numerada que sigue."},
    "en": {"text_version": "Text version of the diagram", "step": "step", "if": "If",
           "then": "Then", "diagram": "Flow diagram", "end": "End.",
           "desc": "Flow diagram with {n} steps. The same information is in the numbered list that follows."},
}

# Drawing constants (SVG user units; the viewBox scales to the column width).
WIDTH = 360
MARGIN = 6
FONT = 15                 # step text
LINE_H = 19
LABEL_FONT = 12           # branch labels
PAD_Y = 9
PAD_X = 10
GAP = 34                  # vertical space between boxes (arrow + label)
LANE_GAP = 11             # distance between side lanes
LABEL_MIN, LABEL_MAX = 26, 84   # room for branch labels in the right gutter
CHAR_W = 0.55             # average glyph width / font size (system sans, regular)
CHAR_W_BOLD = 0.62
HEX_INSET = 14            # how far the decision hexagon's points stick out
COLOURS = {                # fill, stroke, stroke width
    "action": ("#ffffff", "#3c4a8a", 1.5),
    "decision": ("#fff7d6", "#7a5b00", 1.5),
    "end": ("#e8f4ea", "#1e6b34", 1.5),
    "alert": ("#fde8e8", "#b00020", 3),
}
TEXT_COLOUR = "#111111"
EDGE_COLOUR = "#333333"


@dataclass(frozen=True)
class Branch:
    label: dict[str, str]
    to: str


@dataclass
class Step:
    id: str
    text: dict[str, str]
    kind: str = DEFAULT_KIND
    next: str | None = None
    branches: list[Branch] = field(default_factory=list)

    def targets(self) -> list[str]:
        """Step ids this step leads to, in order."""
        return [self.next] if self.next else [b.to for b in self.branches]


@dataclass
class Flow:
    id: str
    title: dict[str, str]
    steps: list[Step]

    def number(self, step_id: str) -> int:
        """1-based position of a step (the number shown in the diagram and the list)."""
        return next(i for i, s in enumerate(self.steps, 1) if s.id == step_id)


# --- Loading and checking ---------------------------------------------------

def _check_text(value: Any, shown: str, line: int | None, name: str) -> list[Problem]:
    """A human text must be an {es, en} map with both languages non-empty."""
    if not isinstance(value, dict):
        return [Problem(shown, line, name, "must be a map {es: ..., en: ...}", "write both languages")]
    return [Problem(shown, line_of(value, lang) if lang in value else line, name,
                    f"missing language '{lang}'", f"add '{lang}:' with the text in that language")
            for lang in LANGUAGES if not str(value.get(lang) or "").strip()]


def check_flow_data(data: Any, shown: str, expected_id: str | None = None) -> list[Problem]:
    """Every problem in one flow's data: fields, languages, ids, targets, order, reachability."""
    if not isinstance(data, dict):
        return [Problem(shown, 1, "", "must be a mapping with id, title and steps", "")]
    problems: list[Problem] = []
    for name in ("id", "title", "steps"):
        if not data.get(name):
            problems.append(Problem(shown, getattr(data, "line", 1), name, "missing", f"add '{name}:'"))
    problems += unknown_fields(shown, data, FLOW_FIELDS)
    if expected_id and data.get("id") and str(data["id"]) != expected_id:
        problems.append(Problem(shown, line_of(data, "id"), "id",
                                f"'{data['id']}' does not match the file name '{expected_id}.yml'", ""))
    if data.get("title"):
        problems += _check_text(data["title"], shown, line_of(data, "title"), "title")
    steps = data.get("steps")
    if steps is None:
        return problems
    if not isinstance(steps, list) or not steps:
        return problems + [Problem(shown, line_of(data, "steps"), "steps", "must be a non-empty list", "")]

    position: dict[str, int] = {}
    for index, step in enumerate(steps):
        where = f"steps[{index}]"
        if not isinstance(step, dict):
            problems.append(Problem(shown, line_of(data, "steps"), where, "each step must be a mapping", ""))
            continue
        step_id = str(step.get("id") or "")
        if not step_id:
            problems.append(Problem(shown, getattr(step, "line", None), f"{where}.id", "missing", "add 'id:'"))
        elif step_id in position:
            problems.append(Problem(shown, line_of(step, "id"), f"{where}.id", f"duplicate step id '{step_id}'",
                                    "step ids must be unique in a flow"))
        else:
            position[step_id] = index

    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        where = f"steps[{index}]"
        problems += unknown_fields(shown, step, STEP_FIELDS, where)
        if "text" not in step:
            problems.append(Problem(shown, getattr(step, "line", None), f"{where}.text", "missing", "add 'text: {es: ..., en: ...}'"))
        else:
            problems += _check_text(step["text"], shown, line_of(step, "text"), f"{where}.text")
        kind = step.get("kind", DEFAULT_KIND)
        if kind not in KINDS:
            problems.append(Problem(shown, line_of(step, "kind"), f"{where}.kind", f"unknown kind '{kind}'",
                                    f"use one of: {', '.join(KINDS)}"))
        if "next" in step and "branches" in step:
            problems.append(Problem(shown, line_of(step, "branches"), where, "has both 'next' and 'branches'",
                                    "keep one: 'next' for one way on, 'branches' for a decision"))
        if kind == "decision" and not step.get("branches"):
            problems.append(Problem(shown, line_of(step, "kind"), f"{where}.branches", "a decision needs at least two branches", ""))
        targets: list[tuple[str, str, int | None]] = []
        if step.get("next") is not None:
            targets.append((str(step["next"]), f"{where}.next", line_of(step, "next")))
        branches = step.get("branches")
        if branches is not None:
            if not isinstance(branches, list) or len(branches) < 2:
                problems.append(Problem(shown, line_of(step, "branches"), f"{where}.branches",
                                        "must be a list of at least two branches", "use 'next:' for a single way on"))
                branches = branches if isinstance(branches, list) else []
            if kind != "decision" and branches:
                problems.append(Problem(shown, line_of(step, "branches"), f"{where}.kind",
                                        "a step with branches must have 'kind: decision'", ""))
            seen_targets: set[str] = set()
            for b_index, branch in enumerate(branches):
                b_where = f"{where}.branches[{b_index}]"
                if not isinstance(branch, dict):
                    problems.append(Problem(shown, line_of(step, "branches"), b_where, "must be a mapping with label and to", ""))
                    continue
                problems += unknown_fields(shown, branch, BRANCH_FIELDS, b_where)
                if "label" not in branch:
                    problems.append(Problem(shown, getattr(branch, "line", None), f"{b_where}.label", "missing", ""))
                else:
                    problems += _check_text(branch["label"], shown, line_of(branch, "label"), f"{b_where}.label")
                if not branch.get("to"):
                    problems.append(Problem(shown, getattr(branch, "line", None), f"{b_where}.to", "missing", ""))
                    continue
                target = str(branch["to"])
                if target in seen_targets:
                    problems.append(Problem(shown, line_of(branch, "to"), f"{b_where}.to",
                                            f"two branches lead to step '{target}'", "merge them into one branch"))
                seen_targets.add(target)
                targets.append((target, f"{b_where}.to", line_of(branch, "to")))
        for target, name, line in targets:
            if target not in position:
                problems.append(Problem(shown, line, name, f"unknown step '{target}'",
                                        f"steps in this flow: {', '.join(position)}"))
            elif position[target] <= index:
                problems.append(Problem(shown, line, name, f"points back to step '{target}'",
                                        "flows run top to bottom: a step may only lead to a later step"))

    # Reachability from the first step (only when every target is known).
    graph = {str(s.get("id")): [t for t in _raw_targets(s) if t in position]
             for s in steps if isinstance(s, dict) and s.get("id")}
    if graph:
        first = next(iter(graph))
        reached, todo = {first}, [first]
        while todo:
            for target in graph.get(todo.pop(), []):
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
        for index, step in enumerate(steps):
            if isinstance(step, dict) and step.get("id") and str(step["id"]) not in reached \
                    and position.get(str(step["id"])) == index:
                problems.append(Problem(shown, line_of(step, "id"), f"steps[{index}].id",
                                        f"step '{step['id']}' cannot be reached from the first step",
                                        "point a 'next' or a branch to it, or remove it"))
    return problems


def _raw_targets(step: dict) -> list[str]:
    if step.get("next") is not None:
        return [str(step["next"])]
    branches = step.get("branches")
    if isinstance(branches, list):
        return [str(b["to"]) for b in branches if isinstance(b, dict) and b.get("to")]
    return []


def _build_flow(data: dict) -> Flow:
    """Data that passed check_flow_data → Flow."""
    steps = []
    for step in data["steps"]:
        branches = [Branch(label={k: str(v) for k, v in b["label"].items()}, to=str(b["to"]))
                    for b in step.get("branches") or []]
        steps.append(Step(id=str(step["id"]), text={k: str(v) for k, v in step["text"].items()},
                          kind=step.get("kind", DEFAULT_KIND),
                          next=str(step["next"]) if step.get("next") is not None else None,
                          branches=branches))
    return Flow(id=str(data["id"]), title={k: str(v) for k, v in data["title"].items()}, steps=steps)


def load_flow(path: Path) -> tuple[Flow | None, list[Problem]]:
    """One flow file: the Flow when it is valid, and its problems."""
    shown = relpath(path)
    data, problems = read_yaml_file(path, shown)
    if problems:
        return None, [Problem(p.path, p.line, "", "not valid YAML",
                              "quote texts that contain ':', '?', '{' or start with '¿'")
                      if p.hint == SYNTAX_HINT else p for p in problems]
    problems = check_flow_data(data, shown, expected_id=Path(path).stem)
    return (None if problems else _build_flow(data)), problems


def check_flows(flows_dir: Path = FLOWS_DIR) -> list[Problem]:
    """Problems in every docs/_data/flujos/*.yml."""
    problems: list[Problem] = []
    for path in sorted(Path(flows_dir).glob("*.yml")):
        problems += load_flow(path)[1]
    return problems


def run_check_flows(args) -> int:
    """CLI: print every flow problem; exit 1 if any."""
    from scripts.cli_pages import print_problems

    return print_problems(check_flows(Path(args.docs_dir) / "_data" / "flujos"), "All flows are valid.")


# --- Drawing ------------------------------------------------------------------

def _wrap(text: str, width_units: float, font: int, bold: bool = False) -> list[str]:
    """Lines of `text` that fit `width_units` at `font` size (estimated glyph width)."""
    chars = max(8, int(width_units / (font * (CHAR_W_BOLD if bold else CHAR_W))))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False) or [""]


def _lanes(edges: list[tuple[int, int]]) -> list[int]:
    """Side lane for each jump (from, to): overlapping jumps get different lanes."""
    busy: list[int] = []              # last step index each lane is used up to
    order = sorted(range(len(edges)), key=lambda i: (edges[i][0], edges[i][1]))
    result = [0] * len(edges)
    for i in order:
        start, end = edges[i]
        for lane, until in enumerate(busy):
            if until <= start:
                busy[lane] = end
                result[i] = lane
                break
        else:
            busy.append(end)
            result[i] = len(busy) - 1
    return result


def _shape(kind: str, x: float, y: float, w: float, h: float) -> str:
    fill, stroke, width = COLOURS[kind]
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    if kind == "decision":
        points = [(x, y + h / 2), (x + HEX_INSET, y), (x + w - HEX_INSET, y), (x + w, y + h / 2),
                  (x + w - HEX_INSET, y + h), (x + HEX_INSET, y + h)]
        return f'<polygon points="{" ".join(f"{px:g},{py:g}" for px, py in points)}" {paint}/>'
    radius = h / 2 if kind == "end" else 6
    return f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{min(radius, 22):g}" {paint}/>'


def render_svg(flow: Flow, lang: str) -> str:
    """The flow as a self-contained vertical SVG flowchart (text escaped, no external refs)."""
    t = STRINGS[lang]
    index_of = {s.id: i for i, s in enumerate(flow.steps)}
    # Jumps: every edge that does not go to the very next step, routed along the right side.
    jumps: list[tuple[int, int, str]] = []        # (from index, to index, label)
    for i, step in enumerate(flow.steps):
        if step.next and index_of[step.next] != i + 1:
            jumps.append((i, index_of[step.next], ""))
        for branch in step.branches:
            if index_of[branch.to] != i + 1:
                jumps.append((i, index_of[branch.to], branch.label[lang]))
    lanes = _lanes([(a, b) for a, b, _ in jumps])
    lane_count = max(lanes) + 1 if lanes else 0
    longest = max((len(label) for _a, _b, label in jumps), default=0)
    label_w = min(LABEL_MAX, max(LABEL_MIN, int(longest * LABEL_FONT * CHAR_W_BOLD) + 8))
    gutter = (label_w + lane_count * LANE_GAP) if jumps else 0
    box_x = MARGIN
    box_w = WIDTH - 2 * MARGIN - gutter
    prefix = f"kb-flow-{flow.id}"

    # Boxes: height from wrapped text.
    boxes = []
    y = MARGIN
    for number, step in enumerate(flow.steps, 1):
        inset = HEX_INSET if step.kind == "decision" else 0
        text = f"{number}. {step.text[lang]}"
        if step.kind == "alert":
            text = f"⚠ {text}"
        lines = _wrap(text, box_w - 2 * PAD_X - 2 * inset, FONT, bold=step.kind in ("alert", "decision"))
        h = len(lines) * LINE_H + 2 * PAD_Y
        boxes.append((y, h, lines))
        y += h + GAP
    height = y - GAP + MARGIN + 4

    out = []
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-flow__svg" role="img" '
               f'viewBox="0 0 {WIDTH} {height:g}" width="100%" preserveAspectRatio="xMidYMin meet" '
               f'aria-labelledby="{title_id} {desc_id}" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, sans-serif">')
    out.append(f'<title id="{title_id}">{escape(t["diagram"])}: {escape(flow.title[lang])}</title>')
    out.append(f'<desc id="{desc_id}">{escape(t["desc"].format(n=len(flow.steps)))}</desc>')
    out.append(f'<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
               f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE_COLOUR}"/></marker></defs>')
    arrow = f'stroke="{EDGE_COLOUR}" stroke-width="1.6" fill="none" marker-end="url(#{prefix}-arrow)"'
    halo = 'paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round"'
    centre = box_x + box_w / 2

    # Straight arrows to the next step, with the branch label beside them.
    for i, step in enumerate(flow.steps[:-1]):
        downs = ([""] if step.next and index_of[step.next] == i + 1 else
                 [b.label[lang] for b in step.branches if index_of[b.to] == i + 1])
        if not downs:
            continue
        y0 = boxes[i][0] + boxes[i][1]
        y1 = boxes[i + 1][0]
        out.append(f'<path d="M{centre:g},{y0:g} V{y1 - 1:g}" {arrow}/>')
        if downs[0]:
            out.append(f'<text x="{centre + 6:g}" y="{(y0 + y1) / 2 + 4:g}" font-size="{LABEL_FONT}" '
                       f'font-weight="700" fill="{TEXT_COLOUR}" {halo}>{escape(downs[0])}</text>')

    # Jumps along the right side: out of the source's right edge, down a lane, into the target.
    exits: dict[int, int] = {}
    arrivals: dict[int, int] = {}
    for (a, b, label), lane in zip(jumps, lanes):
        k = exits.get(a, 0)
        exits[a] = k + 1
        m = arrivals.get(b, 0)
        arrivals[b] = m + 1
        top, h = boxes[a][0], boxes[a][1]
        sy = top + h / 2 + k * (LABEL_FONT + 10)
        t_top, t_h = boxes[b][0], boxes[b][1]
        if flow.steps[b].kind == "decision":
            # Arrive on the upper slanted edge, away from the target's own exit label.
            ty = t_top + 7 + m * 5
            tx = box_x + box_w - HEX_INSET + HEX_INSET * (ty - t_top) / (t_h / 2)
        else:
            ty = t_top + min(t_h / 2, 14) + m * 8
            tx = box_x + box_w
        lane_x = box_x + box_w + label_w + lane * LANE_GAP
        out.append(f'<path d="M{box_x + box_w:g},{sy:g} H{lane_x:g} V{ty:g} H{tx + 1:g}" {arrow}/>')
        if label:
            # Label under the exit line, so arrows arriving above never cover it.
            for n, text in enumerate(_wrap(label, label_w - 4, LABEL_FONT, bold=True)[:2]):
                out.append(f'<text x="{box_x + box_w + 4:g}" y="{sy + 13 + n * 13:g}" '
                           f'font-size="{LABEL_FONT}" font-weight="700" fill="{TEXT_COLOUR}" {halo}>{escape(text)}</text>')

    # Boxes last, so they sit above the lines.
    for step, (y, h, lines) in zip(flow.steps, boxes):
        inset = HEX_INSET if step.kind == "decision" else 0
        out.append(f'<g class="kb-flow__step kb-flow__step--{step.kind}">')
        out.append(_shape(step.kind, box_x, y, box_w, h))
        weight = ' font-weight="700"' if step.kind in ("alert", "decision") else ""
        out.append(f'<text x="{box_x + PAD_X + inset:g}" y="{y + PAD_Y + LINE_H - 5:g}" font-size="{FONT}" '
                   f'fill="{TEXT_COLOUR}"{weight}>')
        for n, line in enumerate(lines):
            dy = "0" if n == 0 else str(LINE_H)
            out.append(f'<tspan x="{box_x + PAD_X + inset:g}" dy="{dy}">{escape(line)}</tspan>')
        out.append("</text></g>")
    out.append("</svg>")
    return "".join(out)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def text_version(flow: Flow, lang: str) -> list[dict[str, Any]]:
    """The flow as numbered items: text, kind and where each branch leads (step numbers)."""
    t = STRINGS[lang]
    items = []
    for i, step in enumerate(flow.steps):
        ways = []
        if step.next and flow.number(step.next) != i + 2:
            ways.append({"label": t["then"], "number": flow.number(step.next)})
        for branch in step.branches:
            ways.append({"label": f"{t['if']} {_lower_first(branch.label[lang])}",
                         "number": flow.number(branch.to)})
        items.append({"number": i + 1, "text": step.text[lang], "kind": step.kind, "ways": ways,
                      "end": not step.targets()})
    return items


# --- Marker ---------------------------------------------------------------------

from scripts.markers import MarkerContext, MarkerError, register  # noqa: E402


@register("flujo", keep=True)
def render_flow(ctx: MarkerContext) -> str:
    """`<!-- kb:flujo id=primer-contacto -->`: the diagram and its numbered text version."""
    flow_id = ctx.args.get("id", "")
    if not flow_id:
        raise MarkerError("missing 'id=' (a file name in docs/_data/flujos/ without .yml)")
    path = FLOWS_DIR / f"{flow_id}.yml"
    if not path.exists():
        raise MarkerError(f"no flow '{flow_id}': expected {relpath(path)}")
    flow, problems = load_flow(path)
    if problems:
        raise MarkerError("; ".join(p.format() for p in problems))
    from markupsafe import Markup

    html = ctx.render("partials/kb-flow.html", flow_id=flow.id, title=flow.title[ctx.lang],
                      svg=Markup(render_svg(flow, ctx.lang)), items=text_version(flow, ctx.lang),
                      t=STRINGS[ctx.lang])
    # No blank lines: Markdown must keep the block as one raw HTML block.
    return "\n".join(line for line in html.splitlines() if line.strip())
