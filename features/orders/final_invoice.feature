@orders
Feature: The final invoice of a cancellation, and what is written off with it
  An order that cancels a subscription in the middle of a billing period can generate a final
  invoice. When the customer was billed in advance, it is a credit for the unused part;
  otherwise it bills the days used. Rules from the document "Cancel subscriptions and write off
  all unpaid invoices", section "... using the Zuora UI" (the final invoice toggle).

  Background:
    Given the tenant has Invoice Settlement enabled
    And today is 2026-03-01
    And the customer "Acme" subscribes to "Basic Monthly" from 2026-03-01
    And "Acme" has been issued an invoice of 30.00 USD on 2026-03-01

  @WO-FINAL-CREDIT-MEMO-FIRST
  Rule: A final credit memo is applied to the outstanding invoices first, and only the remaining balance is written off
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI", final invoice toggle
    Decision (MUST): which outstanding invoice the final credit memo goes to first is not fixed.
    Zuora applies it by the tenant's default application rule, a tenant setting of Invoice
    Settlement ("Billing configurations" of Zuora's Invoice Settlement guide), so the oldest
    invoice first is as right as the invoice that billed the credited days first. What every
    tenant shares is judged: the memo is applied in full, the write-offs add up to what was owed
    less the memo, and every invoice ends with nothing to pay. No example checks the order (not
    even as a warning): a warning would blame a setting the tenant is free to choose.

    Example: Canceled half-way through a month billed in advance
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 with a final invoice and writes off unpaid invoices
      Then the final credit memo of "Acme" is fully applied
      And the order wrote off only what remained of the 60.00 USD "Acme" owed once the final credit memo was applied
      And the invoice of "Acme" dated 2026-03-01 has a balance of 0.00 USD
      And the invoice of "Acme" dated 2026-04-01 has a balance of 0.00 USD

  @WO-FINAL-INVOICE-WRITTEN-OFF
  Rule: A final invoice is written off together with every other unpaid invoice
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI", final invoice toggle

    Example: Canceled half-way through a month not yet billed
      Given today is 2026-04-16
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 with a final invoice and writes off unpaid invoices
      Then the order reports these write-offs:
        | invoice dated | status  |
        | 2026-03-01    | Success |
        | 2026-04-16    | Success |
      And the invoice of "Acme" dated 2026-04-16 has a balance of 0.00 USD

  @WO-NO-FINAL-INVOICE
  Rule: Without a final invoice every unpaid invoice is written off, and a later bill run may still bill the account
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI", final invoice toggle

    Example: The unused part comes back with the next bill run
      Given "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      And a bill run for "Acme" completes with target date 2026-05-01
      Then the order reports these write-offs:
        | invoice dated | amount    | status  |
        | 2026-03-01    | 30.00 USD | Success |
        | 2026-04-01    | 30.00 USD | Success |
      And the bill run produced a credit memo for "Acme"

    Example: The days used but not yet billed come with the next bill run
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 and writes off unpaid invoices
      And a bill run for "Acme" completes with target date 2026-05-01
      Then the order reports these write-offs:
        | invoice dated | amount    | status  |
        | 2026-03-01    | 30.00 USD | Success |
      And the bill run produced an invoice for "Acme"
