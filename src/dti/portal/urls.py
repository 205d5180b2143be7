from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("ket-qua/<int:period_id>/", views.period_results, name="period"),
    path("ket-qua/<int:period_id>/tai-ve/<str:name>", views.download, name="download"),
    path("ket-qua/<int:period_id>/phuong-phap/", views.methodology, name="methodology"),
    path("ket-qua/<int:period_id>/khoi/<str:group_code>/", views.group_page, name="group"),
    path("so-sanh/", views.compare, name="compare"),
    path("gioi-thieu/", views.about, name="about"),
    path("ket-qua/<int:period_id>/don-vi/<int:participation_id>/", views.unit_profile, name="unit"),
    path("ket-qua/<int:period_id>/bao-cao/<int:participation_id>.<str:kind>", views.unit_report, name="unit_report"),
]
