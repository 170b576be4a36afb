"""``GET /demo``: a sample insurer claim page to try the browser extension on.

The page looks like a claim details page of an insurer's member portal, with invented people and
an invented insurer. Two of its lines are wrong in ways the built-in checks catch: the blood draw
asks the patient for more than the allowed amount minus what the plan paid, and the preventive
visit (99396 with diagnosis Z00.00, in network) charges a $40.00 copay. The extension declares a
content script for ``/demo`` on 127.0.0.1 and localhost, so once it is loaded and paired the page
is annotated on opening; anywhere else the user presses "Scan this page".

The page is static and self-contained (no scripts, no external resources) and is served with a
Content-Security-Policy that forbids scripts, so it also shows that the annotations work on a
portal with a strict policy. It needs no token: it holds nothing but invented data.
"""

from __future__ import annotations

from litestar import Response, get

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

DEMO_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Claim details - Cascadia Health Plan (sample)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         color: #1d2733; background: #f3f5f8; }
  header.top { background: #0f4c5c; color: #fff; padding: 12px 28px; display: flex;
               align-items: center; gap: 24px; }
  header.top .brand { font-weight: 700; font-size: 18px; letter-spacing: .3px; }
  header.top nav span { margin-right: 18px; opacity: .85; }
  .sample { background: #fff7d6; border-bottom: 1px solid #e6d48a; padding: 8px 28px;
            font-size: 13px; }
  main { max-width: 1180px; margin: 20px auto; padding: 0 20px; }
  .member { display: flex; gap: 28px; font-size: 13px; color: #4a5866; margin-bottom: 14px; }
  .card { background: #fff; border: 1px solid #d9dee5; border-radius: 8px; padding: 18px 22px;
          margin-bottom: 18px; }
  h1 { font-size: 22px; margin: 0 0 12px; }
  h2 { font-size: 16px; margin: 0 0 10px; }
  dl.summary { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px 24px; margin: 0; }
  dl.summary dt { font-size: 12px; color: #5d6b78; text-transform: uppercase; letter-spacing: .4px; }
  dl.summary dd { margin: 0 0 6px; font-weight: 600; }
  table.lines { width: 100%; border-collapse: collapse; font-size: 13px; }
  table.lines th { text-align: right; background: #eef2f6; padding: 8px 6px; font-size: 12px;
                   color: #3c4a57; border-bottom: 2px solid #c9d2dc; }
  table.lines td { text-align: right; padding: 9px 6px; border-bottom: 1px solid #e4e8ee; }
  table.lines th:nth-child(-n+3), table.lines td:nth-child(-n+3) { text-align: left; }
  table.lines tfoot td { font-weight: 700; border-top: 2px solid #c9d2dc; }
  .note { font-size: 12px; color: #5d6b78; margin-top: 10px; }
</style>
</head>
<body>
<header class="top">
  <span class="brand">Cascadia Health Plan</span>
  <nav><span>Home</span><span>Claims</span><span>Benefits</span><span>Find care</span></nav>
</header>
<p class="sample">Sample page with invented people and numbers, served by your local EOB Scanner
service. Load the extension, pair it with the token the service printed, and open this page
(or press <strong>Scan this page</strong> in the extension's popup).</p>
<main>
  <div class="member">
    <span>Member: Mara Quillfeather</span>
    <span>Member ID: QXH-20417-88</span>
    <span>Date of birth: 05/14/1987</span>
    <span>Group: 0048812</span>
  </div>
  <section class="card">
    <h1>Claim details</h1>
    <dl class="summary">
      <dt>Claim number</dt><dd>DEMO-2026-0042-118</dd>
      <dt>Patient</dt><dd>Mara Quillfeather</dd>
      <dt>Provider</dt><dd>Alderbrook Family Medicine</dd>
      <dt>Date of service</dt><dd>03/12/2026</dd>
      <dt>Network status</dt><dd>In-network</dd>
      <dt>Claim status</dt><dd>Processed</dd>
      <dt>Received</dt><dd>03/18/2026</dd>
      <dt>Processed</dt><dd>04/02/2026</dd>
    </dl>
  </section>
  <section class="card">
    <h2>Services on this claim</h2>
    <table class="lines">
      <thead>
        <tr>
          <th>Date of service</th><th>Service</th><th>Code</th><th>Diagnosis</th>
          <th>Amount billed</th><th>Plan discount</th><th>Allowed amount</th><th>Plan paid</th>
          <th>Deductible</th><th>Copay</th><th>Coinsurance</th><th>What you owe</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>03/12/2026</td><td>Preventive visit, age 40-64</td><td>99396</td><td>Z00.00</td>
          <td>$325.00</td><td>$140.00</td><td>$185.00</td><td>$145.00</td>
          <td>$0.00</td><td>$40.00</td><td>$0.00</td><td>$40.00</td>
        </tr>
        <tr>
          <td>03/12/2026</td><td>Lipid panel</td><td>80061</td><td>Z00.00</td>
          <td>$68.00</td><td>$44.00</td><td>$24.00</td><td>$24.00</td>
          <td>$0.00</td><td>$0.00</td><td>$0.00</td><td>$0.00</td>
        </tr>
        <tr>
          <td>03/12/2026</td><td>Blood draw (venipuncture)</td><td>36415</td><td>Z00.00</td>
          <td>$28.00</td><td>$19.00</td><td>$9.00</td><td>$4.00</td>
          <td>$0.00</td><td>$0.00</td><td>$0.00</td><td>$28.00</td>
        </tr>
        <tr>
          <td>03/12/2026</td><td>Urinalysis</td><td>81002</td><td>R35.0</td>
          <td>$22.00</td><td>$14.00</td><td>$8.00</td><td>$6.40</td>
          <td>$0.00</td><td>$0.00</td><td>$1.60</td><td>$1.60</td>
        </tr>
      </tbody>
      <tfoot>
        <tr>
          <td>Claim totals</td><td></td><td></td><td></td>
          <td>$443.00</td><td>$217.00</td><td>$226.00</td><td>$179.40</td>
          <td>$0.00</td><td>$40.00</td><td>$1.60</td><td>$69.60</td>
        </tr>
      </tfoot>
    </table>
    <p class="note">This is not a bill. Your provider may bill you for the amount in What you owe.</p>
  </section>
</main>
</body>
</html>
"""


@get("/demo", include_in_schema=False, sync_to_thread=False)
def demo_page() -> Response[str]:
    """The sample claim page (static, invented data, no token needed)."""
    return Response(
        content=DEMO_HTML,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


#: Mounted by ``scanner.service.app.create_app``.
demo_handlers: list[object] = [demo_page]
