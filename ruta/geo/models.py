"""Peru's UBIGEO: department → province → district, keyed by their stable INEI codes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="provinces")

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(_("UBIGEO"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"{self.name} ({self.province.name})" if "province" in self._state.fields_cache else self.name
