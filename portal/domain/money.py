"""Money as integer pence (DESIGN.md: never floats), and splitting it so the parts add up to the penny."""

import re
from typing import NewType

Pence = NewType("Pence", int)


def split_pence(total: Pence, parts: int) -> list[Pence]:
    """Split `total` into `parts` near-equal amounts that add up to it exactly.

    Every part is the whole-penny share; the pennies left over go to the last part, so a schedule's
    earlier payments are all the same and the final payment absorbs the remainder.
    """
    if parts < 1:
        raise ValueError("a split needs at least one part")
    if total < 0:
        raise ValueError("money to split cannot be negative")
    share, remainder = divmod(total, parts)
    return [Pence(share)] * (parts - 1) + [Pence(share + remainder)]


def split_by_weights(total: Pence, weights: list[int]) -> list[Pence]:
    """Split `total` in proportion to whole-number `weights`, adding up exactly.

    Each part is rounded down; the pennies left over go one each to the parts that lost the most
    in rounding (largest remainder), earliest first on a tie, so no part is ever more than a penny
    away from its exact share.
    """
    if not weights or any(weight < 0 for weight in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative whole numbers, not all zero")
    if total < 0:
        raise ValueError("money to split cannot be negative")
    whole = sum(weights)
    floors = [total * weight // whole for weight in weights]
    leftover = total - sum(floors)
    by_loss = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for index in by_loss[:leftover]:
        floors[index] += 1
    return [Pence(amount) for amount in floors]


# Commas only as thousands separators: "500,50" (a comma used as a decimal point) is refused, not read as 50,050.
_AMOUNT = re.compile(r"([0-9]{1,3}(?:,[0-9]{3}){0,2}|[0-9]{1,9})(?:\.([0-9]{1,2}))?")


def pounds_to_pence(text: str) -> Pence:
    """Read an amount typed in pounds ("£1,234.50", "1234.5", "250") as pence.

    Raises ValueError for anything else: no floats on the way, so "0.1 + 0.2" problems cannot happen.
    """
    match = _AMOUNT.fullmatch(text.strip().removeprefix("£").strip())
    if match is None:
        raise ValueError(f"not an amount of money: {text!r}")
    pounds, pennies = match.groups()
    return Pence(int(pounds.replace(",", "")) * 100 + int((pennies or "0").ljust(2, "0")))
