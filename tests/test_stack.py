"""The endpoint files Rasa is started with follow the operator's settings."""

import stat

import pytest
import yaml

from bot.server.launcher import with_api_token
from bot.settings import SettingsError, load_settings, new_secret
from bot.stack import REST_CHANNEL, TRACKER_STORE, commands, process_env, write_rasa_config


def test_defaults_use_sqlite_and_no_lock_store(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)})
    endpoints, credentials = write_rasa_config(settings)
    config = yaml.safe_load(endpoints.read_text())
    assert config["tracker_store"] == {"type": TRACKER_STORE, "dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    assert "lock_store" not in config
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    # Rasa's open REST channel is never listed; ours only with its token.
    assert set(yaml.safe_load(credentials.read_text())) == {
        "bot.channels.sms.SmsInput",
        "bot.channels.webchat.WebChatInput",
    }
    with_rest = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "REST_CHANNEL_TOKEN": "t" * 32})
    assert REST_CHANNEL in yaml.safe_load(write_rasa_config(with_rest)[1].read_text())


def test_postgres_tracker_and_redis_locks_for_scaling_out(tmp_path) -> None:
    settings = load_settings(
        {
            "NIGHTINGALE_DATA_DIR": str(tmp_path),
            "TRACKER_STORE_URL": "postgresql://rasa:secret@db.internal:5433/conversations",
            "REDIS_URL": "redis://127.0.0.1:6379/2",
        }
    )
    config = yaml.safe_load(write_rasa_config(settings)[0].read_text())
    assert config["tracker_store"] == {
        "type": TRACKER_STORE,
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "conversations",
        "username": "rasa",
        "password": "secret",
    }
    assert config["lock_store"]["type"] == "redis" and config["lock_store"]["db"] == 2


def test_http_api_is_never_started_without_a_token_and_the_token_is_never_on_a_command_line(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)})
    argv = commands(settings, tmp_path / "model.tar.gz")["rasa"]
    assert "--enable-api" in argv
    assert not any(settings.rasa_auth_token in part for part in argv)  # the launcher adds it inside the process
    inside = with_api_token(argv, settings.rasa_auth_token)
    assert inside[-1] == f"--auth-token={settings.rasa_auth_token}"
    assert len(settings.rasa_auth_token) >= 32 and settings.rasa_auth_token == (tmp_path / "rasa_token").read_text()


def test_an_api_token_starting_with_a_dash_is_repaired_and_secrets_are_owner_only(tmp_path) -> None:
    """One install in 64 once kept a token like "-c3v...", which `rasa run --auth-token` read as an option."""
    (tmp_path / "rasa_token").write_text("-c3vQx_bad-token-from-an-old-install")
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)})
    assert not settings.rasa_auth_token.startswith("-") and len(settings.rasa_auth_token) >= 32
    assert (tmp_path / "rasa_token").read_text() == settings.rasa_auth_token  # kept, so restarts agree
    assert load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)}).rasa_auth_token == settings.rasa_auth_token
    for name in ("rasa_token", "secret_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_fresh_secrets_never_start_with_a_dash() -> None:
    assert not any(new_secret().startswith("-") for _ in range(2000))


def test_sqlite_databases_are_created_owner_only(tmp_path) -> None:
    from bot.schema import migrate

    migrate(f"sqlite:///{tmp_path / 'private' / 'nightingale.db'}")
    assert stat.S_IMODE((tmp_path / "private" / "nightingale.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o700


def test_the_sms_gateway_is_chosen_explicitly_and_twilio_never_falls_back_to_printing(tmp_path) -> None:
    base = {"NIGHTINGALE_DATA_DIR": str(tmp_path)}
    twilio = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "token", "TWILIO_FROM_NUMBER": "+15550009999"}
    assert load_settings(base).sms_gateway == "console"
    assert load_settings({**base, **twilio}).sms_gateway == "twilio"
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN"):
        load_settings({**base, "SMS_GATEWAY": "twilio", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_FROM_NUMBER": "+1555"})
    with pytest.raises(SettingsError, match="TWILIO_FROM_NUMBER"):
        load_settings({**base, "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "token"})  # half-configured
    with pytest.raises(SettingsError, match="SMS_GATEWAY"):
        load_settings({**base, "SMS_GATEWAY": "carrier-pigeon"})


def test_the_web_chat_session_lifetime_is_the_operators_setting(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "WEBCHAT_SESSION_HOURS": "12"})
    credentials = yaml.safe_load(write_rasa_config(settings)[1].read_text())
    assert credentials["bot.channels.webchat.WebChatInput"] == {"session_max_age_hours": 12.0}


def test_a_short_rest_channel_token_is_refused(tmp_path) -> None:
    with pytest.raises(SettingsError, match="REST_CHANNEL_TOKEN"):
        load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "REST_CHANNEL_TOKEN": "secret"})


def test_clinic_sites_embedding_the_widget_are_allowed_by_cors(tmp_path) -> None:
    settings = load_settings(
        {
            "NIGHTINGALE_DATA_DIR": str(tmp_path),
            "CORS_ORIGINS": "https://www.maplegrove.example, https://maplegrove.example",
        }
    )
    argv = commands(settings, tmp_path / "model.tar.gz")["rasa"]
    assert argv[argv.index("--cors") + 1 :][:2] == ["https://www.maplegrove.example", "https://maplegrove.example"]
    assert "--cors" not in commands(load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)}), tmp_path / "m")["rasa"]


def test_several_workers_on_one_machine_share_lock_files_and_each_process_gets_its_knobs(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "RASA_WORKERS": "2"})
    config = yaml.safe_load(write_rasa_config(settings)[0].read_text())
    assert config["lock_store"] == {"type": "bot.server.lock_store.HostLockStore", "path": str(tmp_path / "locks")}
    assert process_env(settings) == {"rasa": {"SANIC_WORKERS": "2"}, "actions": {"SANIC_HOST": "127.0.0.1"}}


def test_a_worker_count_below_one_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="RASA_WORKERS must be 1 or more"):
        load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "RASA_WORKERS": "0"})
