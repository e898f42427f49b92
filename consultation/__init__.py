"""包括的相談支援 (comprehensive consultation): consultations, 支援経過, 支援関係機関, つなぎ.

A domain of its own on top of ``casework`` (people, consent, permissions, audit): the centre
receives anyone's consultation (要領 5(1)ア), records it and the support given (6), and
connects people to 支援関係機関 with a closed loop (4(1), 5(1)イ). ``api/`` depends on this
package, never the other way round.
"""

from casework.services.people import PERSONAL_ROW_ERASERS
from consultation.services.erasure import erase_person_records

# Erasure on request of a person also clears their consultation records.
if erase_person_records not in PERSONAL_ROW_ERASERS:
    PERSONAL_ROW_ERASERS.append(erase_person_records)

# The day's agenda (dashboard, GET /api/v1/agenda) also lists overdue referral replies.
from casework.services.agenda import AGENDA_SOURCES
from consultation.services.agenda_lines import overdue_referral_lines

if overdue_referral_lines not in AGENDA_SOURCES:
    AGENDA_SOURCES.append(overdue_referral_lines)
