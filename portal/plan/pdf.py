"""The support plan as a PDF to download and keep: every part and the full costing, from the same summary as the pages.

The printable page (plan.print_view) is the accessible version; this file is for keeping, emailing or printing.
"""

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.i18n import long_date, pence

FONTS = Path(__file__).resolve().parent / "fonts"
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


class PrintedDocument(FPDF):
    """An A4 document in DejaVu, so every language's letters print: the plan, and the budget account's statements."""

    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang("en-GB")
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.multi_cell(0, 8, text, **NEXT_LINE)

    def labelled(self, label: str, text: str | None) -> None:
        self.set_font("DejaVu", "B", 10)
        self.multi_cell(0, 6, label, **NEXT_LINE)
        self.set_font("DejaVu", "", 10)
        self.multi_cell(0, 6, text or _("Not filled in"), **NEXT_LINE)
        self.ln(1)


def plan_pdf(plan, summary: dict, person_name: str) -> bytes:
    title = _("Support plan for %(name)s", name=person_name)
    doc = PrintedDocument(title)
    doc.heading(title, 18)
    doc.set_font("DejaVu", "", 10)
    if plan.approved_at:
        status = _(
            "Approved on %(date)s: personal budget %(amount)s a year.",
            date=long_date(plan.approved_at),
            amount=pence(plan.final_budget_pence),
        )
    elif plan.submitted_at:
        status = _("Sent to the council on %(date)s.", date=long_date(plan.submitted_at))
    else:
        status = _("A draft, not yet sent to the council.")
    doc.multi_cell(0, 6, f"{_('Version %(version)d.', version=plan.version)} {status}", **NEXT_LINE)

    about = plan.about_me or {}
    doc.heading(_("About me"))
    for key, label in (
        ("important", _("What is important to me")),
        ("good_day", _("A good day")),
        ("strengths", _("What I am good at")),
        ("circle", _("People who support me")),
    ):
        doc.labelled(label, about.get(key))

    doc.heading(_("My outcomes"))
    for number, outcome in enumerate(plan.outcomes, 1):
        doc.labelled(_("Outcome %(num)d", num=number), outcome.what)
        doc.labelled(_("How I will know"), outcome.how_we_know)

    doc.heading(_("How I will use my budget"))
    _costing_table(doc, summary)
    if plan.over_budget_reason:
        doc.labelled(_("Why the plan needs more than the indicative budget"), plan.over_budget_reason)

    doc.heading(_("How my budget will be managed"))
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(0, 6, summary["management"] or _("Not filled in"), **NEXT_LINE)

    safe = plan.staying_safe or {}
    doc.heading(_("Staying safe"))
    doc.labelled(_("What could go wrong"), safe.get("risks"))
    doc.labelled(_("What I will do"), safe.get("plan"))
    doc.labelled(_("Who to call in an emergency"), safe.get("contacts"))

    doc.heading(_("Who helped"))
    helper = f"{summary['who_helped']}: {plan.helper_name}" if plan.helper_name else summary["who_helped"]
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(0, 6, str(helper or _("Not filled in")), **NEXT_LINE)
    return bytes(doc.output())


def _costing_table(doc: PrintedDocument, summary: dict) -> None:
    costing = summary["costing"]
    doc.set_font("DejaVu", "", 9)
    with doc.table(col_widths=(60, 70, 25, 35), text_align=("LEFT", "LEFT", "RIGHT", "RIGHT")) as table:
        table.row([_("Item"), _("How much, how often"), _("A week"), _("A year")])
        for row in summary["rows"]:
            item, cost = row["item"], row["cost"]
            table.row(
                [
                    item.description,
                    _(
                        "%(price)s per %(unit)s × %(quantity)s, %(often)s",
                        price=pence(item.unit_pence),
                        unit=item.unit_label,
                        quantity=row["quantity"],
                        often=row["often"],
                    ),
                    _("one-off") if cost.one_off else pence(cost.weekly_pence),
                    pence(cost.annual_pence),
                ]
            )
        table.row([_("Total for the first year"), "", pence(costing.weekly_pence), pence(costing.annual_pence)])
        table.row([_("Indicative budget"), "", "", pence(costing.budget_annual_pence)])
        gap = -costing.difference_pence if costing.over_budget else costing.difference_pence
        table.row([_("More than the budget") if costing.over_budget else _("Left over"), "", "", pence(gap)])
    doc.ln(2)
