"""Text typed on several lines (bullets, one a line, as real plans are written) is shown with its lines on the
item pages and the update form: a recommendation's text, an action's description, a reason for a RAG rating
and a lead's comment on returning an update."""

import pytest

from recommendations import services
from recommendations.models import Council, User

from ..conftest import client_for
from ..factories import ActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

LINES = "Agree the plan:\n- with Cabinet\n- with staff"
SHOWN = "Agree the plan:<br>- with Cabinet<br>- with staff"


def test_a_recommendation_s_text_and_an_action_s_description_keep_their_lines(council: Council, officer: User) -> None:
    recommendation = RecommendationFactory(engagement__council=council, owner=officer, text=LINES)
    action = ActionFactory(recommendation=recommendation, owner=officer, description=LINES)
    client = client_for(officer)
    assert SHOWN in client.get(recommendation.get_absolute_url()).content.decode()
    assert SHOWN in client.get(action.get_absolute_url()).content.decode()


def test_a_reason_and_a_returned_update_s_comment_keep_their_lines(council: Council, officer: User, lead: User) -> None:
    action = ActionFactory(recommendation__engagement__council=council, owner=officer)
    update = services.update_create(item=action, author=officer, status="in_progress", rag="amber", rag_reason=LINES)
    services.update_submit(update=update, notify=False)
    assert SHOWN in client_for(lead).get(f"/councils/{council.slug}/reviews/{update.pk}/").content.decode()
    services.update_return(update=update, reviewer=lead, comment=LINES, notify=False)
    assert SHOWN in client_for(officer).get(action.get_absolute_url()).content.decode()
    edit = client_for(officer).get(f"/councils/{council.slug}/updates/{update.pk}/edit/")
    assert edit.status_code == 200 and SHOWN in edit.content.decode()
