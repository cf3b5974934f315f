import pytest

from portal.app import create_app
from portal.config import Config, ConfigError, DevelopmentConfig, config_from_environment


def test_production_refuses_to_start_without_a_secret():
    config = Config()
    config.SECRET_KEY = None
    config.DEMO_DATA = False
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app(config)


def test_production_refuses_demo_data():
    config = Config()
    config.PUBLIC_URL = "https://care.example.org"
    config.SECRET_KEY = "x" * 64
    config.DEMO_DATA = True
    with pytest.raises(ConfigError, match="DEMO_DATA is on"):
        create_app(config)


def test_production_starts_with_a_secret(tmp_path):
    config = Config()
    config.SECRET_KEY = "x" * 64
    config.PUBLIC_URL = "https://care.example.org"
    config.DEMO_DATA = False
    config.DATABASE_URL = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    app = create_app(config)
    assert not app.config["DEV_TOOLS"]


def test_development_generates_its_secret_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.setattr("portal.config.INSTANCE_DIR", tmp_path)
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    first = DevelopmentConfig().SECRET_KEY
    assert len(first) == 64
    assert DevelopmentConfig().SECRET_KEY == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(ConfigError, match="PORTAL_ENV must be one of"):
        config_from_environment()


def test_the_default_is_production(monkeypatch):
    monkeypatch.delenv("PORTAL_ENV")
    assert type(config_from_environment()) is Config


def test_malformed_content_stops_start_up_naming_the_file_and_field(tmp_path, database_url):
    import shutil

    from portal.config import TestConfig
    from portal.content.load import ContentError

    shutil.copytree("content", tmp_path / "content")
    ras = tmp_path / "content" / "ras" / "2026-04.yml"
    ras.write_text(ras.read_text().replace("pence_per_point: 450", "pence_per_point: lots"))
    config = TestConfig()
    config.DATABASE_URL = database_url
    config.CONTENT_DIR = str(tmp_path / "content")
    with pytest.raises(ContentError, match=r"2026-04.yml: bands.2.pence_per_point: Input should be a valid integer"):
        create_app(config)
