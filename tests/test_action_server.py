"""The action server loads the actions package and serves every custom action the domain names."""
from rasa_sdk.executor import ActionExecutor

from tests.domain import project_domain


def test_every_domain_action_is_registered() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # raises, as the server would, on an action it cannot register
    domain = project_domain()
    custom = {a for a in domain["actions"] if not a.startswith("utter_")}
    assert custom and custom <= set(executor.actions)
