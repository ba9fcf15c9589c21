"""The pages of ``reportgen serve``, by whom and what they serve: ``base`` (templates, who is
asking, the guards, a report's versions read), ``access`` (login, passwords), ``office`` (the
dashboard, units, the summary, exports), ``form`` (a report's form, checks, states, history),
``saving`` (saves, merges, uploads). ``app`` joins them into one Starlette app."""
