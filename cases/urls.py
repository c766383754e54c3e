from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("parties/<slug:slug>/", views.party_detail, name="party_detail"),
    path("courts/<slug:slug>/", views.court_detail, name="court_detail"),
    path("documents/<str:kind>/<int:pk>/", views.document_download, name="document_download"),
]
