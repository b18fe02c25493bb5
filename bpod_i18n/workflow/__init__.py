"""Operations a user runs, each one transaction, each returning data for the CLI to show.

cli → workflow → sources / segment / catalog / glossary / mt / checks / render / store.
"""
