@orders
Feature: The amounts of a cancellation: prorated to the day, in the customer's currency
  What a cancellation credits and writes off is money: the unused part of a month is worked out
  day by day, whatever the length of the month, and every amount is in the currency the
  customer's account pays in. Rules implied by the document "Cancel subscriptions and write off
  all unpaid invoices", section "... using the Zuora UI" (the final invoice toggle), and by
  Zuora's cancellation policies.

  Background:
    Given the tenant has Invoice Settlement enabled

  @WO-PRORATED-BY-DAY
  Rule: The unused part of a billed month is credited day by day, to the cent, whatever the month's length
    Source: "Cancel subscriptions and write off all unpaid invoices", "... using the Zuora UI" (a final invoice for a cancellation in the middle of a billing period)
    Decision (MUST): a month's price is shared out by the days of that billing period: the days
    from the effective date up to the end of the period are credited, rounded to the cent (half
    a cent rounds up). The examples avoid half cents, so any honest rounding agrees; they use
    months of 31, 28 and 29 days, so rounding to whole units or counting one day too many or too
    few is caught. The same share is credited whether the final credit memo of the order credits
    it or, without a final invoice, the next bill run does.

    Scenario Outline: Canceled on day <day> of <month>
      Given today is <start>
      And the customer "Acme" subscribes to "Basic Monthly" from <start>
      And "Acme" has been issued an invoice of 30.00 USD on <start>
      When "Acme" cancels the "Basic Monthly" subscription as of <cancel> with a final invoice and writes off unpaid invoices
      Then the final credit memo of "Acme" amounts to <credited>

      Examples:
        | month                        | day | start      | cancel     | credited  |
        | a 31-day month               | 11  | 2027-01-01 | 2027-01-11 | 20.32 USD |
        | a 28-day February            | 11  | 2027-02-01 | 2027-02-11 | 19.29 USD |
        | a 29-day February            | 11  | 2028-02-01 | 2028-02-11 | 19.66 USD |
        | a leap year, on the leap day | 29  | 2028-02-01 | 2028-02-29 | 1.03 USD  |

    Example: Canceled on day 11 of a 31-day month without a final invoice, credited by the next bill run
      Given today is 2026-05-01
      And the customer "Acme" subscribes to "Basic Monthly" from 2026-05-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-05-01
      When "Acme" cancels the "Basic Monthly" subscription as of 2026-05-11 and writes off unpaid invoices
      And a bill run for "Acme" completes with target date 2026-06-01
      Then the bill run credited "Acme" 20.32 USD for the unused days

  @WO-ACCOUNT-CURRENCY
  Rule: Invoices, credit memos and write-offs are in the currency of the customer's account
    Source: "Cancel subscriptions and write off all unpaid invoices", introduction (the credit memos clear the invoices' balances); Zuora API reference, invoices and credit memos carry their currency
    Decision (MUST): the plans the kit uses are priced alike in US dollars and in euros (see the
    implementers' guide), so a customer paying in euros is billed 30.00 EUR a month. The examples
    judge currencies only; what each document amounts to is for the rules about prorated credits
    and write-offs.

    Example: A customer paying in euros is billed in euros
      Given today is 2026-03-01
      And the customer "Rheinwerk" pays in EUR and subscribes to "Basic Monthly" from 2026-03-01
      When a bill run for "Rheinwerk" completes with target date 2026-03-01
      Then the invoice of "Rheinwerk" is in EUR

    Example: The final credit memo and the write-offs of a customer paying in euros
      Given today is 2026-03-01
      And the customer "Rheinwerk" pays in EUR and subscribes to "Basic Monthly" from 2026-03-01
      And "Rheinwerk" has been issued an invoice of 30.00 EUR on 2026-03-01
      And "Rheinwerk" has been issued an invoice of 30.00 EUR on 2026-04-01
      When "Rheinwerk" cancels the "Basic Monthly" subscription as of 2026-04-16 with a final invoice and writes off unpaid invoices
      Then the final credit memo of "Rheinwerk" is in EUR
      And every write-off credit memo of "Rheinwerk" is in EUR
