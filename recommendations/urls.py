from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.council_home, name="council_home"),
    path("<slug:slug>/recommendations/<id:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<slug:slug>/actions/<id:pk>/", views.action_detail, name="action_detail"),
]
