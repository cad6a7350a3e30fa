from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ruta.learning import views_courses

app_name = "courses"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_courses.course_list, name="list"),
    path("<slug:code>/", views_courses.course, name="course"),
    path("<slug:code>/<slug:slug>/", views_courses.lesson, name="lesson"),
]
