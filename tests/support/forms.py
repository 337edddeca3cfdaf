"""The admin's forms, filled in from the page the way a browser sends them back."""

from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html


def browser_form(response, field: str):
    """The form on ``response``'s page that has a control named ``field``, as a browser posts it.

    Wagtail's ``querydict_from_html`` sends a ticked checkbox without a ``value`` as an empty
    string, which Django reads as unticked; a browser sends "on".
    """
    html = response.content.decode()
    forms = WagtailTestUtils.get_soup(html).find_all("form")
    index = next(i for i, form in enumerate(forms) if form.find(attrs={"name": field}))
    data = querydict_from_html(html, form_index=index)
    for box in forms[index].find_all("input", type="checkbox", checked=True):
        if "value" not in box.attrs:
            data.setlist(box["name"], ["on"])
    return data
