"""The action server loads the actions package and serves every custom action the domain names."""
import yaml
from rasa_sdk.executor import ActionExecutor

from bot.settings import PROJECT_ROOT


def test_every_domain_action_is_registered() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # raises, as the server would, on an action it cannot register
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    custom = {a for a in domain["actions"] if not a.startswith("utter_")}
    assert custom and custom <= set(executor.actions)
