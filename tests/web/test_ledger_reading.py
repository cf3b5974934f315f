"""The dashboard reads the ledger straight from its columns; it must see exactly what the ORM rows say."""

from datetime import timedelta

from portal.data import budget_accounts
from portal.data.accounts import get_user
from portal.domain.ledger import EntryKind
from portal.timekeeping import today
from tests.factories import make_approved_plan, make_user


def test_the_columns_read_give_the_same_entries_as_the_rows(app):
    person_id, _ = make_user(app)
    make_approved_plan(app, person_id)
    with app.app_context():
        person = get_user(person_id)
        account = budget_accounts.account_for(person_id)
        budget_accounts.post_due_payments(account, today())
        item = account.plan.items[0]
        for new in [
            budget_accounts.NewEntry(EntryKind.SPENDING, today(), 5000, "Chris Wood", plan_item_id=item.id,
                                     payment_method="bank transfer"),
            budget_accounts.NewEntry(EntryKind.SPENDING, today() - timedelta(days=3), 2400, "Anytown Taxis",
                                     description="to hospital", other_reason="the bus was cancelled",
                                     payment_method="prepaid card"),
            budget_accounts.NewEntry(EntryKind.MONEY_IN, today(), 1000, "Refund"),
        ]:  # fmt: skip
            assert budget_accounts.record_entry(account, new, person)
        rows = budget_accounts.entries(account)
        assert budget_accounts.correct_entry(account, rows[-1], "typed twice", person, today()) is None

        from_rows = budget_accounts.as_domain(budget_accounts.entries(account))
        assert len(from_rows) >= 5
        assert budget_accounts.domain_entries(account) == from_rows
