"""The demo public site for `manage.py load_demo_data`: content (`content`, in both languages via
`text.T`), generated pictures (`images`) and the builder (`site.build_site`)."""
