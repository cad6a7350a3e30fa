"""Test helpers shared by every app: the named cast, URL access rules, the browser,
axe-core and page weight. Not imported by the running product."""
