from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.council_home, name="council_home"),
    path("<slug:slug>/recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<slug:slug>/actions/<int:pk>/", views.action_detail, name="action_detail"),
]
