"""The consent ledger: keywords, latest event wins, and a STOP by text stops every due reminder."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.db import transaction
from bot.messaging import consent
from bot.messaging.consent import Keyword, keyword_of
from bot.messaging.models import ConsentAction
from bot.reminders.models import ReminderOutbox
from tests.reminder_helpers import NY, Clock, add_patient, add_plan, dispatcher_for
from tests.test_sms_channel import WEBHOOK, Stack, serving, sms


def test_keywords_are_exact_single_words_in_any_case() -> None:
    assert keyword_of(" stop ") is Keyword.OPT_OUT and keyword_of("OptOut") is Keyword.OPT_OUT
    assert keyword_of("Unstop") is Keyword.OPT_IN and keyword_of("info") is Keyword.HELP
    assert keyword_of("stop it") is None and keyword_of("stopp") is None and keyword_of("") is None


def test_cancel_as_a_keyword_opts_out_and_says_the_appointment_is_not_cancelled(db_url: str) -> None:
    from bot.clinic import load_profile
    from bot.settings import get_settings

    profile = load_profile(get_settings().clinic_profile)
    with transaction(db_url) as s:
        handled, reply = consent.handle_keyword(s, "+15550400009", "Cancel", profile)
        assert handled and consent.is_opted_out(s, "+15550400009")
        assert reply is not None and "did not cancel any appointment" in reply and profile.phone in reply
        handled, reply = consent.handle_keyword(s, "+15550400010", "STOP", profile)
        assert handled and reply is not None and "appointment" not in reply


def test_latest_event_wins_per_number(db_url: str) -> None:
    with transaction(db_url) as s:
        assert consent.record(s, "+15550400001", ConsentAction.OPT_OUT, "keyword")
        assert not consent.record(s, "+15550400001", ConsentAction.OPT_OUT, "keyword")  # no change, no event
        consent.record(s, "+15550400002", ConsentAction.OPT_OUT, "conversation")
        consent.record(s, "+15550400002", ConsentAction.OPT_IN, "keyword")
        assert consent.is_opted_out(s, "+15550400001") and not consent.is_opted_out(s, "+15550400002")
        assert consent.opted_out_among(s, ["+15550400001", "+15550400002", "+15550400003"]) == {"+15550400001"}


def test_stop_by_text_then_due_reminders_sends_nothing(db_url: str, tmp_path: Path) -> None:
    patient = add_patient(db_url, "+15550300001")
    add_plan(db_url, patient, [time(9, 0), time(9, 30)], start=date(2027, 6, 1))

    async def scenario(stack: Stack) -> None:
        assert await stack.post(WEBHOOK, sms("Stop")) == 200
        confirmations = len(stack.fake.sent)
        clock = Clock(datetime(2027, 6, 2, 9, 0, tzinfo=ZoneInfo(NY)))
        dispatcher = dispatcher_for(stack.channel.settings, stack.fake, clock)
        for _ in range(4):
            await asyncio.to_thread(dispatcher.run_once)
            clock.advance(minutes=15)
        assert confirmations == 1 and len(stack.fake.sent) == 1
        with transaction(db_url) as s:
            reasons = s.execute(select(ReminderOutbox.reason).where(ReminderOutbox.due_at <= clock.now)).scalars().all()
        assert reasons == ["opted out", "opted out"]

    async def main() -> None:
        async with serving(db_url, tmp_path) as stack:
            await scenario(stack)

    asyncio.run(main())


def test_stop_with_punctuation_or_all_is_the_keyword() -> None:
    # "stop." and "STOP ALL" fell back, and the number stayed subscribed.
    assert keyword_of("stop.") is Keyword.OPT_OUT and keyword_of("STOP ALL") is Keyword.OPT_OUT
    assert keyword_of("Stop!") is Keyword.OPT_OUT and keyword_of("stop please") is None
