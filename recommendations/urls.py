from django.urls import path

from .views import plan

urlpatterns = [
    path("<slug:slug>/", plan.council_home, name="council_home"),
    path("<slug:slug>/recommendations/<id:pk>/", plan.recommendation_detail, name="recommendation_detail"),
    path("<slug:slug>/actions/<id:pk>/", plan.action_detail, name="action_detail"),
]
