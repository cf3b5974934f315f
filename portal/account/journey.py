"""Where a person is in the self-directed support journey, and the next step to offer them."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class JourneyStep:
    title: str
    description: str
    status: str  # "available", "done" or "coming soon"
    endpoint: str | None = None


def journey_steps() -> list[JourneyStep]:
    """The four stages of DESIGN.md's journey. Each becomes a link as its part of the service is built."""
    return [
        JourneyStep(
            _l("Tell us about your needs"),
            _l("A self-assessment: questions about your daily life and what help you need."),
            "coming soon",
        ),
        JourneyStep(
            _l("See your personal budget"),
            _l("How much money you might get for your support, and how we worked it out."),
            "coming soon",
        ),
        JourneyStep(
            _l("Plan your support"),
            _l("Choose the support that suits you and how to spend your budget."),
            "coming soon",
        ),
        JourneyStep(
            _l("Manage your budget"),
            _l("Your payments, and a record of what you spend."),
            "coming soon",
        ),
    ]


def next_step(steps: list[JourneyStep]) -> JourneyStep | None:
    return next((step for step in steps if step.status == "available"), None)
