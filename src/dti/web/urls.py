from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from dti.api.api import api
from dti.web.views import choose_language

urlpatterns = [
    path("", include("dti.portal.urls")),
    path("tai-khoan/", include("dti.accounts.urls")),
    path("quan-ly/", include("dti.assessments.urls")),
    path("api/v1/", api.urls),
    path("ngon-ngu/", choose_language, name="choose_language"),
    path("django-admin/", admin.site.urls),
    # Browsers and feed readers ask for /favicon.ico whatever the page says: the site's icon, not a 404.
    path("favicon.ico", RedirectView.as_view(url=static("dti/favicon.svg"), permanent=True)),
]
