"""The endpoint files Rasa is started with follow the operator's settings."""
import pytest
import yaml

from bot.settings import load_settings
from bot.stack import TRACKER_STORE, commands, process_env, write_rasa_config


def test_defaults_use_sqlite_and_no_lock_store(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)})
    endpoints, credentials = write_rasa_config(settings)
    config = yaml.safe_load(endpoints.read_text())
    assert config["tracker_store"] == {"type": TRACKER_STORE, "dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
    assert "lock_store" not in config
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    assert set(yaml.safe_load(credentials.read_text())) >= {"rest", "bot.channels.sms.SmsInput",
                                                          "bot.channels.webchat.WebChatInput"}


def test_postgres_tracker_and_redis_locks_for_scaling_out(tmp_path) -> None:
    settings = load_settings({
        "NIGHTINGALE_DATA_DIR": str(tmp_path),
        "TRACKER_STORE_URL": "postgresql://rasa:secret@db.internal:5433/conversations",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
    })
    config = yaml.safe_load(write_rasa_config(settings)[0].read_text())
    assert config["tracker_store"] == {"type": TRACKER_STORE, "dialect": "postgresql", "url": "db.internal", "port": 5433,
                                       "db": "conversations", "username": "rasa", "password": "secret"}
    assert config["lock_store"]["type"] == "redis" and config["lock_store"]["db"] == 2


def test_http_api_is_never_started_without_a_token(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)})
    argv = commands(settings, tmp_path / "model.tar.gz")["rasa"]
    assert "--enable-api" in argv
    token = argv[argv.index("--auth-token") + 1]
    assert len(token) >= 32 and token == (tmp_path / "rasa_token").read_text()


def test_clinic_sites_embedding_the_widget_are_allowed_by_cors(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path),
                              "CORS_ORIGINS": "https://www.maplegrove.example, https://maplegrove.example"})
    argv = commands(settings, tmp_path / "model.tar.gz")["rasa"]
    assert argv[argv.index("--cors") + 1:][:2] == ["https://www.maplegrove.example", "https://maplegrove.example"]
    assert "--cors" not in commands(load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path)}), tmp_path / "m")["rasa"]


def test_several_workers_on_one_machine_share_lock_files_and_each_process_gets_its_knobs(tmp_path) -> None:
    settings = load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "RASA_WORKERS": "2"})
    config = yaml.safe_load(write_rasa_config(settings)[0].read_text())
    assert config["lock_store"] == {"type": "bot.server.lock_store.HostLockStore", "path": str(tmp_path / "locks")}
    assert process_env(settings) == {"rasa": {"SANIC_WORKERS": "2"}, "actions": {"SANIC_HOST": "127.0.0.1"}}


def test_a_worker_count_below_one_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="RASA_WORKERS must be 1 or more"):
        load_settings({"NIGHTINGALE_DATA_DIR": str(tmp_path), "RASA_WORKERS": "0"})
