from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("<int:pk>/figures/<int:year>/", views.annual_figure_edit, name="annual_figure_edit"),
    path("qualifications/", views.qualification_list, name="qualification_list"),
]
