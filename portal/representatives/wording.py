"""What each permission lets a helper do, in the words the person chooses from."""

from flask_babel import lazy_gettext as _l

from portal.domain.permissions import LegalBasis, Permission

PERMISSION_NAMES = {
    Permission.SEE_EVERYTHING: _l("See everything"),
    Permission.ASSESSMENT: _l("Complete the assessment"),
    Permission.PLAN: _l("Write the support plan"),
    Permission.SPENDING: _l("Record spending and receipts"),
    Permission.NOMINEE: _l("Act as the direct payment nominee"),
}

PERMISSION_HINTS = {
    Permission.SEE_EVERYTHING: _l("See the assessment, budget, support plan and spending, without changing them."),
    Permission.ASSESSMENT: _l(
        "Answer the questions, send the assessment, and ask for the budget to be looked at again."
    ),
    Permission.PLAN: _l("Write and change the support plan, and send it to the council."),
    Permission.SPENDING: _l("Record spending and money paid in, add receipts, and fill in timesheets."),
    Permission.NOMINEE: _l(
        "Manage the direct payment for you, including sending the council your returns. "
        "A nominee takes on the responsibilities of the direct payment."
    ),
}

LEGAL_BASIS_NAMES = {
    LegalBasis.LASTING_POWER_OF_ATTORNEY: _l("Lasting power of attorney"),
    LegalBasis.DEPUTYSHIP: _l("Deputy appointed by the Court of Protection"),
    LegalBasis.AUTHORISED_PERSON: _l("Authorised person under the Care Act 2014"),
}


def permission_names(stored: list[str]) -> list[str]:
    """The names of the permissions a link or invitation holds, in the order the person sees them."""
    return [str(PERMISSION_NAMES[permission]) for permission in Permission if permission.value in stored]
