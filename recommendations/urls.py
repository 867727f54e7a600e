from django.urls import path

from .views import engagements, evidence, people, plan, progress, reviews, setup

urlpatterns = [
    path("<slug:slug>/", plan.council_home, name="council_home"),
    path("<slug:slug>/recommendations/<id:pk>/", plan.recommendation_detail, name="recommendation_detail"),
    path("<slug:slug>/actions/<id:pk>/", plan.action_detail, name="action_detail"),
    path("<slug:slug>/my-work/", plan.my_work, name="my_work"),
    path(
        "<slug:slug>/recommendations/<id:pk>/updates/new/",
        progress.update_new,
        {"kind": "recommendation"},
        name="recommendation_update_new",
    ),
    path("<slug:slug>/actions/<id:pk>/updates/new/", progress.update_new, {"kind": "action"}, name="action_update_new"),
    path("<slug:slug>/updates/<id:pk>/edit/", progress.update_edit, name="update_edit"),
    path("<slug:slug>/updates/<id:pk>/withdraw/", progress.update_withdraw, name="update_withdraw"),
    path("<slug:slug>/updates/<id:pk>/delete/", progress.update_delete, name="update_delete"),
    path("<slug:slug>/people/", people.people_list, name="people_list"),
    path("<slug:slug>/people/invite/", people.people_invite, name="people_invite"),
    path("<slug:slug>/people/<id:pk>/", people.people_edit, name="people_edit"),
    path("<slug:slug>/people/<id:pk>/deactivate/", people.people_deactivate, name="people_deactivate"),
    path("<slug:slug>/people/<id:pk>/resend-invitation/", people.people_resend, name="people_resend"),
    path("<slug:slug>/evidence/<id:pk>/download/", evidence.evidence_download, name="evidence_download"),
    path("<slug:slug>/engagements/", engagements.engagement_list, name="engagement_list"),
    path("<slug:slug>/engagements/new/", engagements.engagement_create, name="engagement_create"),
    path("<slug:slug>/engagements/<id:pk>/", engagements.engagement_detail, name="engagement_detail"),
    path("<slug:slug>/engagements/<id:pk>/edit/", engagements.engagement_edit, name="engagement_edit"),
    path("<slug:slug>/engagements/<id:pk>/peers/new/", engagements.engagement_peer_add, name="engagement_peer_add"),
    path(
        "<slug:slug>/engagements/<id:pk>/peers/<id:peer_pk>/remove/",
        engagements.engagement_peer_remove,
        name="engagement_peer_remove",
    ),
    path(
        "<slug:slug>/engagements/<id:pk>/recommendations/new/",
        setup.recommendation_create,
        name="recommendation_create",
    ),
    path("<slug:slug>/recommendations/<id:pk>/edit/", setup.recommendation_edit, name="recommendation_edit"),
    path("<slug:slug>/recommendations/<id:pk>/actions/new/", setup.action_create, name="action_create"),
    path("<slug:slug>/actions/<id:pk>/edit/", setup.action_edit, name="action_edit"),
    path("<slug:slug>/reviews/", reviews.review_list, name="review_list"),
    path("<slug:slug>/reviews/<id:pk>/", reviews.review_detail, name="review_detail"),
    path("<slug:slug>/reviews/<id:pk>/approve/", reviews.review_approve, name="review_approve"),
    path("<slug:slug>/reviews/<id:pk>/return/", reviews.review_return, name="review_return"),
]
