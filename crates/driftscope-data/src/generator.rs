//! A seeded generator of Telco-like churn data.
//!
//! Same 21 columns, labels and value formats as the IBM Telco customer-churn file. Every number
//! below was measured on the real file by `tools/calibrate_generator.py` (run it to see them):
//! marginal and conditional shares, per-contract tenure quantiles, the monthly price list
//! (a linear fit with residual std 1.02) and a logistic churn model fitted on the real data.
//! Rows are generated one customer at a time in this order: demographics, contract (given
//! partner/senior), tenure (given contract), phone and internet service (given contract/senior),
//! add-on services (given internet type and contract), billing, charges, then churn from the
//! logistic model. The result matches the real file's marginals to about one percentage point and
//! its churn rate (26.5%); a model trained on it scores about as well as one trained on the real
//! file (see the training crate's tests).

use std::fmt::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

/// The Telco columns in file order.
pub const TELCO_COLUMNS: [&str; 21] = [
    "customerID",
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "Tenure",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "MonthlyCharges",
    "TotalCharges",
    "Churn",
];

const CONTRACTS: [&str; 3] = ["Month-to-month", "One year", "Two year"];
/// P(contract | partner, senior), rows: (no, no), (no, senior), (partner, no), (partner, senior).
const CONTRACT_GIVEN: [[f64; 3]; 4] = [
    [0.6621, 0.1878, 0.1501],
    [0.8102, 0.1160, 0.0738],
    [0.3655, 0.2496, 0.3849],
    [0.6038, 0.2164, 0.1798],
];
/// Tenure quantiles at 0, 5, ..., 100 % per contract.
const TENURE_Q: [[f64; 21]; 3] = [
    [
        1., 1., 1., 1., 2., 3., 4., 6., 8., 10., 12., 14., 17., 21., 24., 29., 33., 39., 46., 56.,
        72.,
    ],
    [
        0., 10., 14., 19., 23., 27., 30., 34., 37., 41., 44., 47., 50., 53., 55., 58., 61., 64.,
        67., 69., 72.,
    ],
    [
        0., 14., 26., 37., 44., 48., 52.2, 56., 60., 62., 64., 66., 68., 69., 70., 71., 72., 72.,
        72., 72., 72.,
    ],
];
const INTERNET: [&str; 3] = ["DSL", "Fiber optic", "No"];
/// P(internet | contract) for non-seniors, and for seniors.
const INTERNET_GIVEN_CONTRACT: [[f64; 3]; 3] = [
    [0.3468, 0.4863, 0.1669],
    [0.4053, 0.3235, 0.2712],
    [0.3729, 0.2310, 0.3961],
];
const INTERNET_SENIOR: [f64; 3] = [0.2268, 0.7277, 0.0455];
/// P(service = Yes | internet type (DSL, fiber), contract).
const SERVICE_YES: [[[f64; 3]; 2]; 6] = [
    [[0.2993, 0.5789, 0.7707], [0.1664, 0.4119, 0.6131]],
    [[0.3034, 0.4895, 0.6943], [0.3252, 0.6364, 0.7179]],
    [[0.2289, 0.5368, 0.7627], [0.3181, 0.6308, 0.7925]],
    [[0.2772, 0.5719, 0.8169], [0.1560, 0.4193, 0.7179]],
    [[0.2437, 0.4474, 0.6433], [0.4699, 0.7365, 0.8228]],
    [[0.2510, 0.4544, 0.6608], [0.4685, 0.7477, 0.8182]],
];
const PAYMENTS: [&str; 4] = [
    "Bank transfer (automatic)",
    "Credit card (automatic)",
    "Electronic check",
    "Mailed check",
];
const PAYMENT_GIVEN_CONTRACT: [[f64; 4]; 3] = [
    [0.1520, 0.1401, 0.4774, 0.2305],
    [0.2654, 0.2702, 0.2356, 0.2288],
    [0.3327, 0.3428, 0.0991, 0.2254],
];
/// P(paperless | internet type DSL, fiber, none).
const PAPERLESS: [f64; 3] = [0.5494, 0.7736, 0.2923];
/// Monthly price list (linear fit): base, phone, extra lines, DSL, fiber, each add-on.
const PRICE_BASE: f64 = -0.0965;
const PRICE_PHONE: f64 = 20.0524;
const PRICE_MULTI: f64 = 5.0122;
const PRICE_DSL: f64 = 25.049;
const PRICE_FIBER: f64 = 50.0064;
const PRICE_SERVICE: [f64; 6] = [5.0132, 4.9913, 5.0208, 5.0289, 9.9687, 9.9627];
const PRICE_NOISE: f64 = 1.0248;
/// TotalCharges / (tenure * MonthlyCharges): mean 1.0003, std 0.0512.
const TOTAL_NOISE: f64 = 0.0512;
/// Logistic churn model (fitted on the real file).
const CHURN_INTERCEPT: f64 = 0.0075;
const CHURN_SENIOR: f64 = 0.2273;
const CHURN_PARTNER: f64 = 0.0373;
const CHURN_DEPENDENTS: f64 = -0.1351;
const CHURN_LOG_TENURE: f64 = -0.723;
const CHURN_ONE_YEAR: f64 = -0.6913;
const CHURN_TWO_YEAR: f64 = -1.6844;
const CHURN_DSL: f64 = 0.6309;
const CHURN_FIBER: f64 = 1.4052;
const CHURN_PHONE: f64 = -0.7029;
const CHURN_MULTI: f64 = 0.3381;
const CHURN_SERVICE: [f64; 6] = [-0.3522, -0.1532, -0.0106, -0.3131, 0.235, 0.2469];
const CHURN_PAPERLESS: f64 = 0.3559;
const CHURN_ECHECK: f64 = 0.3267;
const CHURN_MONTHLY_PER_100: f64 = 0.7121;

fn pick<R: Rng>(rng: &mut R, probs: &[f64]) -> usize {
    let total: f64 = probs.iter().sum();
    let mut u = rng.gen::<f64>() * total;
    for (i, p) in probs.iter().enumerate() {
        if u < *p {
            return i;
        }
        u -= p;
    }
    probs.len() - 1
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

/// Generates `rows` Telco-like customers as CSV bytes (header included). The same `(rows, seed)`
/// gives the same bytes on every platform.
pub fn generate_telco_csv(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let noise = Noise {
        price: Normal::new(0.0, PRICE_NOISE).expect("valid normal"),
        total: Normal::new(1.0, TOTAL_NOISE).expect("valid normal"),
    };
    let mut out = String::with_capacity(rows * 200 + 400);
    out.push_str(&TELCO_COLUMNS.join(","));
    out.push('\n');
    for i in 0..rows {
        let customer = Customer::draw(&mut rng, &noise, i);
        customer.write_row(&mut out);
    }
    out.into_bytes()
}

/// The noise of the price list and of the total charges.
struct Noise {
    /// Added to the monthly price.
    price: Normal<f64>,
    /// Multiplies tenure x monthly price into the total charges.
    total: Normal<f64>,
}

/// One generated customer: a row of the file before formatting. Indices point into
/// [`CONTRACTS`], [`INTERNET`] and [`PAYMENTS`]; `services` follow the six add-on columns.
struct Customer {
    id: String,
    male: bool,
    senior: bool,
    partner: bool,
    dependents: bool,
    contract: usize,
    tenure: f64,
    phone: bool,
    multi: bool,
    internet: usize,
    services: [bool; 6],
    paperless: bool,
    payment: usize,
    monthly: f64,
    total: Option<f64>,
    churn: bool,
}

impl Customer {
    /// Draws customer number `i`, in the order the module documentation gives (the order of
    /// the draws fixes the bytes a seed gives).
    fn draw(rng: &mut ChaCha8Rng, noise: &Noise, i: usize) -> Customer {
        let id = customer_id(rng, i);
        let male = rng.gen_bool(0.5048);
        let senior = rng.gen_bool(0.1621);
        let partner = rng.gen_bool(0.483);
        let dependents = rng.gen_bool(if partner { 0.5141 } else { 0.0991 });
        let contract = pick(
            rng,
            &CONTRACT_GIVEN[2 * usize::from(partner) + usize::from(senior)],
        );
        let tenure = draw_tenure(rng, contract);
        let phone = rng.gen_bool(0.9032);
        let multi = phone && rng.gen_bool(0.4671);
        let internet = if senior {
            pick(rng, &INTERNET_SENIOR)
        } else {
            pick(rng, &INTERNET_GIVEN_CONTRACT[contract])
        };
        let mut services = [false; 6];
        if internet < 2 {
            for (s, yes) in services.iter_mut().enumerate() {
                *yes = rng.gen_bool(SERVICE_YES[s][internet][contract]);
            }
        }
        let paperless = rng.gen_bool(PAPERLESS[internet]);
        let payment = pick(rng, &PAYMENT_GIVEN_CONTRACT[contract]);
        let mut customer = Customer {
            id,
            male,
            senior,
            partner,
            dependents,
            contract,
            tenure,
            phone,
            multi,
            internet,
            services,
            paperless,
            payment,
            monthly: 0.0,
            total: None,
            churn: false,
        };
        customer.draw_charges_and_churn(rng, noise);
        customer
    }

    /// Draws the monthly and total charges, then churn from the logistic model.
    fn draw_charges_and_churn(&mut self, rng: &mut ChaCha8Rng, noise: &Noise) {
        let monthly = self.list_price() + noise.price.sample(rng);
        self.monthly = (monthly.max(18.25) * 20.0).round() / 20.0;
        self.total = if self.tenure == 0.0 {
            None
        } else {
            Some(
                ((self.tenure * self.monthly * noise.total.sample(rng)).max(self.monthly) * 100.0)
                    .round()
                    / 100.0,
            )
        };
        self.churn = rng.gen_bool(1.0 / (1.0 + (-self.churn_logit()).exp()));
    }

    /// The monthly price list's price of the customer's services, before noise.
    fn list_price(&self) -> f64 {
        PRICE_BASE
            + if self.phone { PRICE_PHONE } else { 0.0 }
            + if self.multi { PRICE_MULTI } else { 0.0 }
            + match self.internet {
                0 => PRICE_DSL,
                1 => PRICE_FIBER,
                _ => 0.0,
            }
            + self
                .services
                .iter()
                .zip(PRICE_SERVICE)
                .map(|(y, p)| if *y { p } else { 0.0 })
                .sum::<f64>()
    }

    /// The log-odds of churn under the fitted logistic model.
    fn churn_logit(&self) -> f64 {
        CHURN_INTERCEPT
            + if self.senior { CHURN_SENIOR } else { 0.0 }
            + if self.partner { CHURN_PARTNER } else { 0.0 }
            + if self.dependents {
                CHURN_DEPENDENTS
            } else {
                0.0
            }
            + CHURN_LOG_TENURE * self.tenure.ln_1p()
            + match self.contract {
                1 => CHURN_ONE_YEAR,
                2 => CHURN_TWO_YEAR,
                _ => 0.0,
            }
            + match self.internet {
                0 => CHURN_DSL,
                1 => CHURN_FIBER,
                _ => 0.0,
            }
            + if self.phone { CHURN_PHONE } else { 0.0 }
            + if self.multi { CHURN_MULTI } else { 0.0 }
            + self
                .services
                .iter()
                .zip(CHURN_SERVICE)
                .map(|(y, c)| if *y { c } else { 0.0 })
                .sum::<f64>()
            + if self.paperless { CHURN_PAPERLESS } else { 0.0 }
            + if self.payment == 2 { CHURN_ECHECK } else { 0.0 }
            + CHURN_MONTHLY_PER_100 * self.monthly / 100.0
    }

    /// Appends the customer as one CSV line in [`TELCO_COLUMNS`] order.
    fn write_row(&self, out: &mut String) {
        let multiple_lines = if !self.phone {
            "No phone service"
        } else {
            yes_no(self.multi)
        };
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},",
            self.id,
            if self.male { "Male" } else { "Female" },
            u8::from(self.senior),
            yes_no(self.partner),
            yes_no(self.dependents),
            self.tenure as i64,
            yes_no(self.phone),
            multiple_lines,
            INTERNET[self.internet],
        );
        for yes in self.services {
            out.push_str(if self.internet == 2 {
                "No internet service"
            } else {
                yes_no(yes)
            });
            out.push(',');
        }
        let total_text = self
            .total
            .map_or_else(|| " ".to_string(), |t| format!("{t}"));
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            CONTRACTS[self.contract],
            yes_no(self.paperless),
            PAYMENTS[self.payment],
            self.monthly,
            total_text,
            yes_no(self.churn),
        );
    }
}

/// A unique id: the row number in the digits, seeded letters for look.
fn customer_id(rng: &mut ChaCha8Rng, i: usize) -> String {
    const ID_LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let letters: String = (0..5)
        .map(|_| ID_LETTERS[rng.gen_range(0..26)] as char)
        .collect();
    format!("{:04}-{letters}{}", i % 10_000, i / 10_000)
}

/// Tenure in months for a contract type, interpolated between its 5 % quantiles.
fn draw_tenure(rng: &mut ChaCha8Rng, contract: usize) -> f64 {
    let q = &TENURE_Q[contract];
    let u = rng.gen::<f64>() * 20.0;
    let k = (u.floor() as usize).min(19);
    (q[k] + (q[k + 1] - q[k]) * (u - k as f64)).round()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Table;

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a = generate_telco_csv(300, 1);
        assert_eq!(a, generate_telco_csv(300, 1));
        assert_ne!(a, generate_telco_csv(300, 2));
    }

    #[test]
    fn schema_and_marginals_close_to_real_file() {
        let t = Table::from_csv_bytes("gen", generate_telco_csv(20_000, 11)).unwrap();
        assert_eq!(t.column_names(), TELCO_COLUMNS.map(String::from).to_vec());
        let share = |col: &str, v: &str| {
            let col = t.text(col).unwrap();
            let c = col.to_vec();
            c.iter().filter(|x| **x == Some(v)).count() as f64 / c.len() as f64
        };
        // Real-file shares (tools/calibrate_generator.py); generous tolerance for sampling.
        for (col, v, real) in [
            ("Churn", "Yes", 0.2654),
            ("Contract", "Month-to-month", 0.5502),
            ("Contract", "Two year", 0.2407),
            ("InternetService", "Fiber optic", 0.4396),
            ("PaymentMethod", "Electronic check", 0.3358),
            ("SeniorCitizen", "1", 0.1621),
            ("PaperlessBilling", "Yes", 0.5922),
        ] {
            let s = share(col, v);
            assert!((s - real).abs() < 0.03, "{col}={v}: {s} vs real {real}");
        }
        let m = t.numeric("MonthlyCharges").unwrap();
        let mean = m.iter().sum::<f64>() / m.len() as f64;
        assert!((mean - 64.76).abs() < 3.0, "MonthlyCharges mean {mean}");
        let tenure = t.numeric("Tenure").unwrap();
        let mean = tenure.iter().sum::<f64>() / tenure.len() as f64;
        assert!((mean - 32.37).abs() < 3.0, "tenure mean {mean}");
        let total = t.numeric("TotalCharges").unwrap();
        assert!(
            total.iter().any(|v| v.is_nan()),
            "blank TotalCharges for tenure 0"
        );
    }
}
