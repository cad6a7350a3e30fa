from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ruta.learning import views_courses, views_selfpaced

app_name = "courses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_courses.course_list, name="list"),
    path("verificar/", views_selfpaced.verify, name="verify"),
    path("<slug:code>/", views_courses.course, name="course"),
    path("<slug:code>/empezar/", views_selfpaced.start, name="start"),
    path("<slug:code>/continuar/", views_selfpaced.resume, name="resume"),
    path("<slug:code>/avance/", views_selfpaced.progress, name="progress"),
    path("<slug:code>/constancia/", views_selfpaced.certificate, name="certificate"),
    path("<slug:code>/<slug:slug>/", views_courses.lesson, name="lesson"),
]
