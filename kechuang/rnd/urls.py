from django.urls import path

from . import views

app_name = "rnd"
urlpatterns = [
    path("", views.rd_overview, name="rd_overview"),
    path("enterprises/", views.rd_enterprise_list, name="rd_enterprise_list"),
    path("zero/", views.zero_rd_list, name="zero_rd_list"),
    path("diagnosis/<int:pk>/", views.diagnosis, name="diagnosis"),
    path("diagnosis/<int:pk>/report.docx", views.diagnosis_download, name="diagnosis_docx"),
]
