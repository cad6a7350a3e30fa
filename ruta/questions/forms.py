from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ruta.questions.codes import looks_like_a_code
from ruta.questions.models import ANSWER_MAX, QUESTION_MAX


class AskForm(forms.Form):
    text = forms.CharField(label=_("Your question"), min_length=10, max_length=QUESTION_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Do not write your name, your school or anything that says who you are."))
    # A field people never see: a program that fills every field gives itself away.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ReadForm(forms.Form):
    code = forms.CharField(label=_("Your three-word code"), max_length=60,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none",
                                                         "spellcheck": "false"}))

    def clean_code(self) -> str:
        code = " ".join(self.cleaned_data["code"].lower().split())
        if not looks_like_a_code(code):
            raise forms.ValidationError(_("Write the three words of your code, with spaces between them."))
        return code


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), min_length=2, max_length=ANSWER_MAX,
                             widget=forms.Textarea(attrs={"rows": 8}))


class PublishForm(forms.Form):
    question_text = forms.CharField(label=_("Question, without identifying details"), min_length=10,
                                    max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text=_("Remove names, places, schools, dates and anything that could "
                                                "say who asked."))
    answer_text = forms.CharField(label=_("Answer"), min_length=2, max_length=ANSWER_MAX,
                                  widget=forms.Textarea(attrs={"rows": 8}))
