"""A signed-in device in plain words ("Firefox on Windows"), from the browser's User-Agent header (issue #8).

Only these words are kept, never the header itself or the IP address: enough for a person to recognise their
phone or laptop in the list of signed-in sessions, too little to fingerprint them.
"""

from dataclasses import dataclass

# Checked in order: Edge, Opera and Samsung Internet also say "Chrome", and Chrome also says "Safari".
BROWSER_MARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Edge", ("Edg/", "EdgA/", "EdgiOS/", "Edge/")),
    ("Opera", ("OPR/", "OPiOS/", "Opera")),
    ("Samsung Internet", ("SamsungBrowser/",)),
    ("Firefox", ("Firefox/", "FxiOS/")),
    ("Chrome", ("Chrome/", "CriOS/", "Chromium/")),
    ("Safari", ("Safari/",)),
)
# Android says "Linux", iPhones say "like Mac OS X", ChromeOS says "Linux" too: the specific ones first.
SYSTEM_MARKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Android", ("Android",)),
    ("iPhone", ("iPhone", "iPod")),
    ("iPad", ("iPad",)),
    ("Windows", ("Windows",)),
    ("ChromeOS", ("CrOS",)),
    ("macOS", ("Macintosh", "Mac OS X")),
    ("Linux", ("Linux", "X11")),
)
BROWSERS = frozenset(name for name, _ in BROWSER_MARKS)
SYSTEMS = frozenset(name for name, _ in SYSTEM_MARKS)
UNKNOWN_BROWSER = "Unknown browser"
UNKNOWN_DEVICE = "Unknown device"
# Real headers are a few hundred characters; a longer one is not worth reading through.
LONGEST_HEADER_READ = 1000


@dataclass(frozen=True)
class Device:
    browser: str | None
    system: str | None

    @property
    def label(self) -> str:
        """How the device is stored and written in the audit log: one of a small set of names, never free text."""
        if self.browser and self.system:
            return f"{self.browser} on {self.system}"
        if self.system:
            return f"{UNKNOWN_BROWSER} on {self.system}"
        return self.browser or UNKNOWN_DEVICE

    @classmethod
    def from_label(cls, label: str) -> "Device":
        """The reverse of `label`, so a page can put the names into the reader's language; unknown words give None."""
        browser, _, system = label.partition(" on ")
        return cls(browser if browser in BROWSERS else None, system if system in SYSTEMS else None)


def _first_match(header: str, marks: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    return next((name for name, signs in marks if any(sign in header for sign in signs)), None)


def describe_device(user_agent: str | None) -> Device:
    """The browser and the kind of device, from a User-Agent header; None for whatever is not recognised."""
    header = (user_agent or "")[:LONGEST_HEADER_READ]
    return Device(_first_match(header, BROWSER_MARKS), _first_match(header, SYSTEM_MARKS))
