from django.urls import path

from . import declaration_views, review_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bo-chi-so/", views.framework_list, name="frameworks"),
    path("bo-chi-so/<int:framework_id>/", views.framework_detail, name="framework"),
    path("bo-chi-so/<int:framework_id>/phu-luc.xlsx", views.framework_annex, name="framework_annex"),
    path("bo-chi-so/mau-phu-luc.xlsx", views.framework_template, name="framework_template"),
    path("don-vi/", views.unit_list, name="units"),
    path("don-vi/<int:unit_id>/", views.unit_edit, name="unit"),
    path("tai-khoan/", views.user_list, name="users"),
    path("tai-khoan/<int:user_id>/kich-hoat/", views.user_toggle_active, name="user_toggle"),
    path("ky-danh-gia/", views.period_list, name="periods"),
    path("ky-danh-gia/<int:period_id>/", views.period_detail, name="period"),
    path("ky-danh-gia/<int:period_id>/chuyen-trang-thai/", views.period_advance, name="period_advance"),
    path("ky-danh-gia/<int:period_id>/nhap-ket-qua/", views.period_import_results, name="period_import"),
    path("ky-danh-gia/<int:period_id>/phan-cong/", views.period_assign_reviewer, name="period_assign"),
    path("ky-danh-gia/<int:period_id>/them-don-vi/", views.period_add_unit, name="period_add_unit"),
    path("ky-danh-gia/<int:period_id>/don-vi/<int:participation_id>/bo/", views.period_remove_unit,
         name="period_remove_unit"),
    path("ky-danh-gia/<int:period_id>/ket-qua/", views.period_results, name="period_results"),
    path("ky-danh-gia/<int:period_id>/tham-dinh/", review_views.queue, name="review_queue"),
    path("ky-danh-gia/<int:period_id>/tien-do/", views.period_progress, name="period_progress"),
    path("tham-dinh/<int:participation_id>/", review_views.unit_review, name="review_unit"),
    path("tham-dinh/<int:participation_id>/<str:indicator_code>/", review_views.review_action, name="review_action"),
    path("khai-bao/<int:participation_id>/", declaration_views.overview, name="declaration"),
    path("khai-bao/<int:participation_id>/nop/", declaration_views.submit, name="declaration_submit"),
    path("khai-bao/<int:participation_id>/lich-su/", declaration_views.history, name="declaration_history"),
    path("khai-bao/<int:participation_id>/minh-chung/<str:indicator_code>/", declaration_views.add_evidence,
         name="evidence_add"),
    path("minh-chung/<int:evidence_id>/", declaration_views.download_evidence, name="evidence"),
    path("khai-bao/<int:participation_id>/<str:pillar_code>/", declaration_views.pillar_page,
         name="declaration_pillar"),
    path("khai-bao/<int:participation_id>/diem/<str:indicator_code>/", declaration_views.points_preview,
         name="declaration_preview"),
]
