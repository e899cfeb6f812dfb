from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/code/", views.index, name="codegen"),
    path("t/<slug:slug>/code/bundles/", views.bundle_new, name="codegen_bundle_new"),
    path("t/<slug:slug>/code/bundles/<int:bid>/", views.bundle, name="codegen_bundle"),
    path("t/<slug:slug>/code/bundles/<int:bid>/download/", views.bundle_download, name="codegen_bundle_download"),
    path("t/<slug:slug>/code/<int:pk>/", views.service_code, name="codegen_service"),
    path("t/<slug:slug>/code/<int:pk>/download/", views.service_zip, name="codegen_service_zip"),
]
