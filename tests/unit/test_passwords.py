import pytest

from portal.auth.passwords import EXAMPLE_PASSPHRASE, Guessable, common_passwords, guessable, words_about

ABOUT_RUTH = words_about("Ruth Adeyemi", "ruth.adeyemi+portal@example.org", "Anytown Council")


def test_the_vendored_list_is_the_whole_pwned_passwords_top_20000():
    listed = common_passwords()
    assert len(listed) == 19_640
    assert {"123456", "password", "qwertyuiop", "1q2w3e4r5t", "friend of emily", "#1bitch"} <= listed
    assert not [word for word in listed if word.startswith("# ") or word != word.lower()]


@pytest.mark.parametrize(
    "password",
    [
        "qwertyuiop",
        "QWERTYUIOP",  # case does not matter
        "Password1234",  # a listed word with digits at the end
        "1985sunshine",  # or at the start
        "Sun shine 1985!",  # spaces and punctuation do not matter
        "friend of emily",  # the list has a few phrases
        "aaaaaaaaaaaa",
        "abcabcabcabc",
        "passwordpassword",
        "!!!!!!!!!!!!",
        "            ",
        EXAMPLE_PASSPHRASE,  # the error message suggests it, so it is the first thing anyone would try
        EXAMPLE_PASSPHRASE.upper().replace(" ", "-"),
    ],
)
def test_common_passwords_are_refused(password):
    assert guessable(password, ABOUT_RUTH) is Guessable.COMMON


@pytest.mark.parametrize(
    "password",
    [
        "Ruth Adeyemi",
        "ruthadeyemi1990",
        "ruth.adeyemi.77",
        "ruth.adeyemi+portal@example.org",
        "RuthAdeyemiPortal",
        "Choice and Control",
        "choiceandcontrol2026",
        "Anytown Council 1",
    ],
)
def test_passwords_made_from_the_persons_details_or_the_service_are_refused(password):
    assert guessable(password, ABOUT_RUTH) is Guessable.ABOUT_THEM


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "my garden has three apple trees",
        "ruth likes blue kettles",  # a name inside a longer passphrase is fine
        "x7#Qm!2pLz",
        "8305172946",
        "a" * 255 + "b",
    ],
)
def test_good_passwords_pass(password):
    assert guessable(password, ABOUT_RUTH) is None


def test_short_pieces_of_a_name_are_not_refused_on_their_own():
    assert "al" not in words_about("Al Li", "al@example.org")
    assert guessable("alalalalalal1x", words_about("Al Li", "al@example.org")) is None
