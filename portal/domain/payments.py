"""Payment schedules: a yearly personal budget paid weekly, every four weeks, or quarterly."""

import enum

from portal.domain.money import Pence, split_pence


class Frequency(enum.Enum):
    WEEKLY = 52
    FOUR_WEEKLY = 13  # thirteen payments a year, as councils pay direct payments
    QUARTERLY = 4

    @property
    def payments_a_year(self) -> int:
        return self.value


def payment_schedule(annual: Pence, frequency: Frequency) -> list[Pence]:
    """Equal payments that add up to the annual amount exactly; any spare pennies go in the last payment.

    £6,544 a year paid quarterly is four payments of £1,636.
    """
    return split_pence(annual, frequency.payments_a_year)
