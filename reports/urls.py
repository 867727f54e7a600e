from django.urls import path

from .views import committee, reports, sessions

urlpatterns = [
    path("<slug:slug>/progress-report/", committee.progress_report, name="progress_report"),
    path("<slug:slug>/progress-report.pdf", committee.progress_report_pdf, name="progress_report_pdf"),
    path("<slug:slug>/progress-report.xlsx", committee.progress_report_xlsx, name="progress_report_xlsx"),
    path("<slug:slug>/sessions/", sessions.session_list, name="session_list"),
    path("<slug:slug>/sessions/new/", sessions.session_create, name="session_create"),
    path("<slug:slug>/sessions/<id:pk>/", sessions.session_detail, name="session_detail"),
    path("<slug:slug>/sessions/<id:pk>/edit/", sessions.session_edit, name="session_edit"),
    path(
        "<slug:slug>/sessions/<id:pk>/report/", reports.report_create, {"of": "session"}, name="session_report_create"
    ),
    path(
        "<slug:slug>/engagements/<id:pk>/report/",
        reports.report_create,
        {"of": "engagement"},
        name="engagement_report_create",
    ),
    path("<slug:slug>/reports/<id:pk>/", reports.report_detail, name="report_detail"),
    path("<slug:slug>/reports/<id:pk>.pdf", reports.report_pdf, name="report_pdf"),
    path("<slug:slug>/reports/<id:pk>/edit/", reports.report_edit, name="report_edit"),
    path("<slug:slug>/reports/<id:pk>/publish/", reports.report_publish, name="report_publish"),
    path("<slug:slug>/reports/<id:pk>/versions/<id:number>.pdf", reports.report_version_pdf, name="report_version_pdf"),
]
