"""The demo data: St Helens Borough Council's 2019 Corporate Peer Challenge and what followed, and a small
fictional council (Borsetshire) so that tenancy is visible.

The St Helens data comes from public news items about the council's work with the LGA and the public
sources they were checked against: the challenge ran on site 15–18 January 2019, a culture review
followed in March 2019, and both reports were published with a combined action plan of 12 actions in
July 2019; Cabinet had a "Peer Review/One Council Update" and an Ofsted monitoring report on 23
September 2020; the Recovery and Renewal Panel met remotely on 28 September 2020; the Borough Strategy
went to Cabinet on 24 February 2021 and the 2021/22 budget with the Medium Term Financial Strategy to
Council on 3 March 2021; the 2021 Peer Support Summary Report was published in March 2021. The
recommendations' wording is reconstructed (the full list is not public in these sources) and says so in
its source note; where a source gives only the month, the day is illustrative. People are fictional;
peers are labelled by role only.

Everything goes through recommendations.services with its real moment (`at=`), so the history and the
position at any date are those of the real timeline. `seed()` is idempotent: a council that exists (by
slug) is left alone, users are created once and never changed, and a membership is added only where
there is none. The caller wraps it in a transaction.
"""

from .build import SeedReport, seed
from .common import DEMO_PASSWORD
from .people import USERS

__all__ = ["DEMO_PASSWORD", "USERS", "SeedReport", "seed"]
