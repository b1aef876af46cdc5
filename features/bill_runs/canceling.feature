@bill-runs
Feature: Which bill runs can be canceled
  A bill run whose invoices must not reach customers can be canceled, but only while nothing
  in it has been issued. Rules from the document "Cancel bill runs".

  Decision (MUST): the document names no error codes. A refusal "because a business rule forbids
  it" may come as a rule restriction or as an invalid value (Zuora's bill-run pages use both);
  the reference uses rule restriction. A refused request must change nothing.

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01

  @BR-CANCEL-COMPLETED
  Rule: A completed bill run whose invoices are all still drafts can be canceled
    Source: "Cancel bill runs", introduction; "Cancel an ad hoc bill run"

    Example: Its one invoice is a draft
      Given a completed bill run for "Acme" with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

    Example: It billed several customers and every invoice is a draft
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

    Example: It found nothing to bill
      Given the customer "Initech" has nothing to bill
      And a completed bill run for "Initech" with target date 2026-03-01
      When the bill run is canceled
      Then the bill run ends up canceled

  @BR-CANCEL-POSTED-INVOICE
  Rule: A completed bill run that holds a posted invoice cannot be canceled
    Source: "Cancel bill runs", introduction
    Decision (SHOULD): a posted credit memo blocks the cancellation as well. A posted credit memo
    can no longer be canceled, so the run could not cancel all of its documents as the rules
    require. The document names only posted invoices; this is the kit's decision.

    Example: One of its two invoices has been posted
      Given the customer "Globex" subscribes to "Pro Monthly" from 2026-02-15
      And a completed bill run for all customers with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed
      And the invoice of "Acme" is still posted
      And the invoice of "Globex" is still a draft

    Example: Its only invoice has been posted
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the invoice of "Acme" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed

    @should
    Example: Its credit memo has been posted
      Given the customer "Globex" subscribes to "Goodwill Credit" from 2026-03-01
      And a completed bill run for "Globex" with target date 2026-03-01
      And the credit memo of "Globex" has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still completed

  @BR-CANCEL-POSTED-RUN
  Rule: A posted bill run cannot be canceled
    Source: "Cancel bill runs", introduction

    Example: The whole bill run has been posted
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been posted
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still posted
      And the invoice of "Acme" is still posted

  @BR-CANCEL-ONLY-PENDING-OR-COMPLETED
  Rule: A bill run that ended in error or is already canceled cannot be canceled
    Source: "Cancel bill runs", introduction (only completed and pending runs are named as cancelable)
    Decision (MUST): the document names the statuses that can be canceled, and Zuora's bill-run
    status types say a run can be canceled only if it is pending or completed; every other status is
    refused. Runs still being processed, posted or canceled are refused too, but a scenario
    cannot hold a run in those passing statuses, so these examples use the lasting ones.

    Example: The bill run ended in error
      Given the customer "Hooli" subscribes to "Basic Monthly" from 2026-03-01
      And the account of "Hooli" has been closed
      And a bill run for "Hooli" with target date 2026-03-01 that ended in error
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still in error

    Example: The bill run has already been canceled
      Given a completed bill run for "Acme" with target date 2026-03-01
      And the bill run has been canceled
      When the bill run is canceled
      Then the cancellation is refused because a business rule forbids it
      And the bill run is still canceled
