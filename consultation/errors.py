"""Errors of the consultation domain that need their own Japanese wording."""

from __future__ import annotations

from casework.errors import ConsentRequired


class ReferralConsentMissing(ConsentRequired):
    """A referral says the person consented, but no such consent is recorded (409).

    The basis written on a referral is a claim; 要領 5(2)ア lets details go to another agency
    only with the person's consent, so the claim must match a recorded, valid consent.
    """

    def __init__(self, scope: str, message_ja: str) -> None:
        super().__init__(scope)
        self.message_ja = message_ja
        self.args = (f"{message_ja} / No valid {scope} consent recorded for this referral.",)
