import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.devices import BROWSERS, SYSTEMS, Device, describe_device

# Real User-Agent headers, as browsers send them.
HEADERS = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Firefox on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Chrome on Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
        "Edge on Windows",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Safari/605.1.15",
        "Safari on macOS",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari on iPhone",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
        "Chrome on iPhone",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
        "Firefox on iPad",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "Samsung Internet on Android",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36",
        "Chrome on Android",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
        "Opera on Windows",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Chrome on ChromeOS",
    ),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Linux"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36",
        "Chrome on Linux",
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Unknown browser on Windows"),
    ("curl/8.5.0", "Unknown device"),
    ("Werkzeug/3.1.3", "Unknown device"),
    ("", "Unknown device"),
    (None, "Unknown device"),
]


@pytest.mark.parametrize(("header", "label"), HEADERS)
def test_a_user_agent_becomes_plain_words(header, label):
    assert describe_device(header).label == label


@pytest.mark.parametrize(
    ("label", "device"),
    [
        ("Firefox on Windows", Device("Firefox", "Windows")),
        ("Unknown browser on Android", Device(None, "Android")),
        ("Safari", Device("Safari", None)),
        ("Unknown device", Device(None, None)),
        ("Netscape on BeOS", Device(None, None)),  # nothing outside the known names is ever shown back
        ("", Device(None, None)),
    ],
)
def test_a_stored_label_reads_back_into_its_parts(label, device):
    assert Device.from_label(label) == device


def test_a_very_long_header_is_only_read_so_far():
    assert describe_device("x" * 1_000_000 + " Firefox/128.0 (Windows NT 10.0)").label == "Unknown device"


@given(st.text(max_size=2000))
def test_any_header_gives_a_short_label_from_the_known_names_that_reads_back(header):
    device = describe_device(header)
    assert device.browser in BROWSERS | {None}
    assert device.system in SYSTEMS | {None}
    assert len(device.label) <= 100  # the column's length: the raw header is never stored
    assert Device.from_label(device.label) == device
