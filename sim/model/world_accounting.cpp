// Accounting (MODEL.md §8): revenue, other income and funding in; depreciation (book and
// economic), retirements and impairments, power and site opex, construction, interest, tax;
// loans that mature are refinanced within the leverage limit or repaid; an agent that cannot pay
// is distressed (it cancels orders and sells chips) and, if still short, defaults.

#include <algorithm>
#include <cmath>

#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::retire_cohort(std::size_t i) {
  const Chip& chip = supply_.chips[fleet_.chip[i]];
  Agent& a = agents_[fleet_.owner[i]];
  a.flows.impairment_usd += fleet_.book_value_usd[i];
  a.ledger.post(Account::equity, Account::chips, fleet_.book_value_usd[i]);
  fleet_.book_value_usd[i] = fleet_.economic_value_usd[i] = 0.0;
  fleet_.retired[i] = 1;
  fleet_.powered_count[i] = 0.0;
  a.flows.retired_h100e += fleet_.count[i] * chip.effective_h100e;
  supply_.retired_chips += fleet_.count[i];
  if (fleet_.site[i] != no_site) {
    Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
    s.used_mw = std::max(0.0, s.used_mw - fleet_.count[i] * chip.spec->power_kw / 1000.0);
  }
}

void World::book_quarter() {
  book_income();
  // What each agent's power bills were for, by region and by site (for the bills of its own plants).
  std::vector<double> own_drawn_mw(agents_.size() * power_.regions.size(), 0.0);
  std::vector<double> site_drawn_mw(power_.sites.size(), 0.0);
  book_chips(own_drawn_mw, site_drawn_mw);
  book_sites();
  book_bridge_power(own_drawn_mw, site_drawn_mw);
  book_power_projects(own_drawn_mw);
  // Interest; tax on the AI business (the non-AI cash flow is after tax already); payouts; then
  // who cannot pay.
  for (std::uint32_t ai = 0; ai < agents_.size(); ++ai) {
    book_interest_tax_payouts(ai);
    if (!agents_[ai].defaulted) settle_cash(ai);
  }
}

// Revenue and compute bought; for an agent not in default, the non-AI business (its cash flow,
// its capex, the depreciation of what it built before) and external funding.
void World::book_income() {
  const double years = (now_ - spec_.run.start) / 4.0;
  for (auto& a : agents_) {
    const AgentSpec& as = *a.spec;
    a.ledger.post(Account::cash, Account::equity, a.flows.revenue_usd);
    a.ledger.post(Account::equity, Account::cash, a.flows.compute_purchases_usd);
    a.ledger.post(Account::equity, Account::cash, a.flows.contract_penalties_usd);  // negative: received
    if (a.defaulted) continue;
    a.flows.other_income_usd = as.operating_cash_flow_usd_per_quarter * std::pow(1.0 + as.cash_flow_growth_per_year, years);
    a.ledger.post(Account::cash, Account::equity, a.flows.other_income_usd);
    // The non-AI business's capex, capitalized, and the depreciation of what it built before.
    const double non_ai_depreciation = a.non_ai_assets_usd / std::max(1, as.non_ai_asset_life_quarters);
    a.non_ai_assets_usd -= non_ai_depreciation;
    a.ledger.post(Account::equity, Account::non_ai, non_ai_depreciation);
    a.flows.depreciation_non_ai_usd = non_ai_depreciation;
    const double non_ai_capex = std::max(0.0, as.non_ai_capex_usd_per_quarter.at(now_));
    a.non_ai_assets_usd += non_ai_capex;
    a.ledger.post(Account::non_ai, Account::cash, non_ai_capex);
    a.flows.capex_non_ai_usd = non_ai_capex;
    const double funding = std::max(0.0, as.external_funding_usd_per_quarter.at(now_) * a.funding_factor);
    a.ledger.post(Account::cash, Account::equity, funding);
    a.flows.equity_raised_usd += funding;
  }
}

// Chips: depreciate; a cohort that has now served its economic life retires, and the book value
// still on the books is impaired. Delivered in quarter d with life E, a chip serves (is powered
// and sold) in quarters d … d+E−1 and retires in the accounting of d+E−1. Agents with the
// "unprofitable" policy also retire chips whose running cost exceeds the price. Powered chips
// pay their power bill; what they drew is added to own_drawn_mw and site_drawn_mw.
void World::book_chips(std::vector<double>& own_drawn_mw, std::vector<double>& site_drawn_mw) {
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    if (fleet_.retired[i]) continue;
    const Chip& chip = supply_.chips[fleet_.chip[i]];
    Agent& a = agents_[fleet_.owner[i]];
    const double cost = fleet_.count[i] * fleet_.unit_price_usd[i];
    const double book = std::min(fleet_.book_value_usd[i], cost / std::max(1, fleet_.book_life_quarters[i]));
    const double economic = std::min(fleet_.economic_value_usd[i], cost / std::max(1, fleet_.economic_life_quarters[i]));
    fleet_.book_value_usd[i] -= book;
    fleet_.economic_value_usd[i] -= economic;
    a.ledger.post(Account::equity, Account::chips, book);
    a.flows.depreciation_book_usd += book;
    a.flows.depreciation_economic_usd += economic;
    // Power: full draw while sold, the idle share while powered and unsold.
    if (fleet_.powered_count[i] > 0.0) {
      const Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
      const double u = a.powered_h100e > 0.0 ? a.utilized_h100e / a.powered_h100e : 0.0;
      const double draw_mw = fleet_.powered_count[i] * chip.spec->power_kw / 1000.0 * s.pue *
                             (u + (1.0 - u) * chip.spec->idle_power_share);
      const double bill = draw_mw * hours_per_quarter * power_.regions[s.region].spec->power_price_usd_per_mwh;
      a.ledger.post(Account::equity, Account::cash, bill);
      a.flows.power_opex_usd += bill;
      own_drawn_mw[fleet_.owner[i] * power_.regions.size() + s.region] += draw_mw;
      site_drawn_mw[static_cast<std::size_t>(fleet_.site[i])] += draw_mw;
    }
    if (now_ - fleet_.delivered[i] + 1 >= chip.spec->economic_life_quarters) {
      retire_cohort(i);  // end of economic life
    } else if (a.spec->retirement == RetirementPolicy::unprofitable && fleet_.powered_count[i] > 0.0) {
      const Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
      const double running = running_cost_usd_per_h100e_hour(chip, s.pue, power_.regions[s.region].spec->power_price_usd_per_mwh);
      if (markets_.blocs[a.bloc].price_usd_per_hour < running) retire_cohort(i);  // running cost above the price
    }
  }
}

// Sites: leases, construction spending, depreciation of what is built.
void World::book_sites() {
  for (auto& s : power_.sites) {
    Agent& a = agents_[s.owner];
    if (s.leased && s.built && !a.defaulted) {
      a.ledger.post(Account::equity, Account::cash, s.lease_usd_per_quarter);
      a.flows.site_opex_usd += s.lease_usd_per_quarter;
    }
    const int building_for = now_ - s.started;
    if (s.build_quarters > 0 && !s.awaiting_construction && building_for >= 0 && building_for < s.build_quarters) {
      const double spend = s.cost_usd / s.build_quarters;
      a.ledger.post(Account::sites, Account::cash, spend);
      s.book_value_usd += spend;
      a.committed_sites_usd = std::max(0.0, a.committed_sites_usd - spend);
      a.flows.capex_sites_usd += spend;
    }
    if (s.built && s.book_value_usd > 0.0) {
      const double dep = std::min(s.book_value_usd, s.cost_usd / s.life_quarters);
      s.book_value_usd -= dep;
      a.ledger.post(Account::equity, Account::sites, dep);
      a.flows.depreciation_book_usd += dep;
      a.flows.depreciation_economic_usd += dep;
    }
  }
}

// Bridge power: the share of a site's draw its bridge supplied is billed at the bridge's price
// instead of the grid's (the difference is added to the bill).
void World::book_bridge_power(std::vector<double>& own_drawn_mw, const std::vector<double>& site_drawn_mw) {
  for (std::size_t si = 0; si < power_.sites.size(); ++si) {
    const Site& s = power_.sites[si];
    if (s.bridge_delivered_mw <= 0.0 || s.delivered_mw <= 0.0 || site_drawn_mw[si] <= 0.0) continue;
    const double from_bridge_mw = site_drawn_mw[si] * (s.bridge_delivered_mw / s.delivered_mw);
    own_drawn_mw[s.owner * power_.regions.size() + s.region] -= from_bridge_mw;
    const double premium = from_bridge_mw * hours_per_quarter *
                           (s.bridge_price_usd_per_mwh - power_.regions[s.region].spec->power_price_usd_per_mwh);
    Agent& a = agents_[s.owner];
    a.ledger.post(Account::equity, Account::cash, premium);
    a.flows.power_opex_usd += premium;
  }
}

// Power projects: the owner pays for the power it draws from its own plant at the plant's price
// instead of the grid's (the difference is added to its power bill); depreciated like sites.
// What it draws is what its chips' bills were for (idle chips draw only their idle share).
void World::book_power_projects(std::vector<double>& own_drawn_mw) {
  for (auto& p : power_.projects) {
    if (!p.online) continue;
    Agent& a = agents_[p.agent];
    if (p.site < 0) {  // bridge power was billed with its site
      double& drawn = own_drawn_mw[p.agent * power_.regions.size() + p.region];
      const double from_plant_mw = std::min(p.capacity_mw, std::max(0.0, drawn));
      drawn -= from_plant_mw;
      const double premium = from_plant_mw * hours_per_quarter *
                             (p.power_price_usd_per_mwh - power_.regions[p.region].spec->power_price_usd_per_mwh);
      a.ledger.post(Account::equity, Account::cash, premium);
      a.flows.power_opex_usd += premium;
    }
    if (p.book_value_usd <= 0.0) continue;
    const double dep = std::min(p.book_value_usd, p.cost_usd / std::max(1, a.spec->new_site.life_quarters));
    p.book_value_usd -= dep;
    a.ledger.post(Account::equity, Account::power, dep);
    a.flows.depreciation_book_usd += dep;
    a.flows.depreciation_economic_usd += dep;
  }
}

// Interest, tax on the AI business, payouts (for an agent neither distressed nor in default);
// the quarter's EBITDA goes into its 4-quarter history.
void World::book_interest_tax_payouts(std::uint32_t ai) {
  Agent& a = agents_[ai];
  for (const auto& loan : a.loans) a.flows.interest_usd += loan.principal_usd * loan.rate / 4.0;
  a.flows.interest_usd += a.facility_undrawn_usd * a.spec->finance.commitment_fee / 4.0;
  a.ledger.post(Account::equity, Account::cash, a.flows.interest_usd);
  a.flows.tax_usd = ai_tax_usd(a.flows.ai_pretax_income_usd(), a.flows.other_income_usd, spec_.finance.tax_rate);
  a.ledger.post(Account::equity, Account::cash, a.flows.tax_usd);  // negative: a credit
  if (!a.defaulted && !a.distressed) {
    const double assets = a.ledger.balance(Account::cash) + a.ledger.balance(Account::chips) +
                          a.ledger.balance(Account::sites) + a.ledger.balance(Account::power) +
                          a.ledger.balance(Account::investments) + a.ledger.balance(Account::non_ai) +
                          a.ledger.balance(Account::deposits);
    a.flows.payouts_usd = payout_usd(a.spec->finance, a.flows.free_cash_flow_usd(), a.ledger.balance(Account::cash),
                                     assets, a.spendable_usd());
    a.ledger.post(Account::equity, Account::cash, a.flows.payouts_usd);
  }
  a.ebitda_history[slot()] = a.flows.ebitda_usd();
}

// An agent with cash recovers from distress once above its minimum. Short of cash, it borrows
// within the leverage limit; if that is not enough, distress; an agent distressed since an
// earlier quarter that is still short defaults.
void World::settle_cash(std::uint32_t ai) {
  draw_facility(ai);
  Agent& a = agents_[ai];
  const double cash = a.ledger.balance(Account::cash);
  if (cash >= 0.0) {
    if (a.distressed && cash >= a.spec->min_cash_usd) {
      a.distressed = false;
      log(EntityKind::agent, a.spec->name, "recovery", "its cash is above its minimum again", {{"cash_usd", cash}});
    }
    return;
  }
  if (-cash <= debt_room_usd(ai, slot())) {
    borrow(ai, -cash);
    return;
  }
  if (a.distressed && a.distressed_since < now_) default_agent(ai, "still unable to pay after a quarter in distress");
  else if (!a.distressed) enter_distress(ai, "cash ran out and lenders will not lend more");
}

// --- loans -------------------------------------------------------------------------------

double World::debt_room_usd(std::uint32_t ai, std::size_t ebitda_slot) const noexcept {
  const Agent& a = agents_[ai];
  if (a.defaulted || a.distressed) return 0.0;  // lenders do not lend to a firm in distress
  const double max_leverage = std::min(a.spec->finance.max_leverage, finance_.leverage_cap);
  // A facility committed and not drawn yet counts against the limit as if drawn.
  return debt_capacity_usd(max_leverage, a.trailing_ebitda_usd(ebitda_slot),
                           a.ledger.debt_usd() + a.facility_undrawn_usd);
}

bool World::fund(std::uint32_t ai, double cost_usd) {
  Agent& a = agents_[ai];
  const double short_usd = cost_usd - std::max(0.0, a.spendable_usd());
  if (short_usd <= 0.0) return true;
  if (short_usd > debt_room_usd(ai, slot())) return false;
  raise_funds(ai, short_usd);
  return a.spendable_usd() >= cost_usd * (1.0 - 1e-12);
}

double World::borrow(std::uint32_t ai, double usd) {
  Agent& a = agents_[ai];
  if (usd <= 0.0) return 0.0;
  const double amount = std::min(usd, debt_room_usd(ai, slot()));
  if (amount <= 0.0) return 0.0;
  const double rate = borrowing_rate(base_rate(), a.spec->finance, a.leverage(slot()), finance_.crunch_spread);
  a.loans.push_back({amount, rate, now_ + a.spec->finance.loan_term_quarters});
  a.ledger.post(Account::cash, Account::debt, amount);
  a.flows.borrowed_usd += amount;
  log(EntityKind::agent, a.spec->name, "borrow", "to fund its plan", {{"amount_usd", amount}, {"rate", rate}});
  return amount;
}

double World::raise_funds(std::uint32_t ai, double usd) {
  Agent& a = agents_[ai];
  if (!a.spec->finance.delayed_draw) return borrow(ai, usd);
  if (usd <= 0.0) return 0.0;
  const double amount = std::min(usd, debt_room_usd(ai, slot()));
  if (amount <= 0.0) return 0.0;
  a.facility_undrawn_usd += amount;
  log(EntityKind::agent, a.spec->name, "facility", "lenders commit to fund its plan, drawn as bills come",
      {{"committed_usd", amount}, {"undrawn_usd", a.facility_undrawn_usd}});
  return amount;
}

// A committed facility is drawn, whatever the leverage now, to keep cash at its minimum; what
// is not needed for commitments still open lapses.
void World::draw_facility(std::uint32_t ai) {
  Agent& a = agents_[ai];
  if (a.facility_undrawn_usd <= 0.0) return;
  const double draw_usd = std::min(a.facility_undrawn_usd, a.spec->min_cash_usd - a.ledger.balance(Account::cash));
  if (draw_usd > 0.0) {
    const double rate = borrowing_rate(base_rate(), a.spec->finance, a.leverage(slot()), finance_.crunch_spread);
    a.loans.push_back({draw_usd, rate, now_ + a.spec->finance.loan_term_quarters});
    a.ledger.post(Account::cash, Account::debt, draw_usd);
    a.flows.borrowed_usd += draw_usd;
    a.facility_undrawn_usd -= draw_usd;
    log(EntityKind::agent, a.spec->name, "draw", "its bills came due: it draws on its facility",
        {{"amount_usd", draw_usd}, {"rate", rate}, {"undrawn_usd", a.facility_undrawn_usd}});
  }
  a.facility_undrawn_usd = std::min(a.facility_undrawn_usd, a.committed_chips_usd + a.committed_sites_usd);
}

void World::mature_due_loans() {
  for (std::uint32_t a = 0; a < agents_.size(); ++a) mature_loans(a);
}

void World::mature_loans(std::uint32_t ai) {
  Agent& a = agents_[ai];
  if (a.defaulted) return;
  // Judged on the last booked quarter (this quarter's accounting comes later).
  const double max_leverage = std::min(a.spec->finance.max_leverage, finance_.leverage_cap);
  for (auto& loan : a.loans) {
    if (loan.maturity > now_ || loan.principal_usd <= 0.0) continue;
    const double leverage = a.leverage(last_slot());
    if (leverage <= max_leverage && !a.distressed) {
      loan.rate = borrowing_rate(base_rate(), a.spec->finance, leverage, finance_.crunch_spread);
      loan.maturity = now_ + a.spec->finance.loan_term_quarters;
      log(EntityKind::agent, a.spec->name, "refinance", "a loan matured within its leverage limit",
          {{"principal_usd", loan.principal_usd}, {"rate", loan.rate}});
      continue;
    }
    // Lenders roll over only what keeps its debt within the limit (nothing for a firm in
    // distress); the rest is repaid from cash (which may go negative: see accounting).
    const double other_debt_usd = a.ledger.debt_usd() - loan.principal_usd;
    const double rolled_usd =
        a.distressed ? 0.0
                     : std::clamp(max_leverage * std::max(0.0, a.trailing_ebitda_usd(last_slot())) - other_debt_usd, 0.0,
                                  loan.principal_usd);
    const double repaid_usd = loan.principal_usd - rolled_usd;
    a.ledger.post(Account::debt, Account::cash, repaid_usd);
    a.flows.repaid_usd += repaid_usd;
    log(EntityKind::agent, a.spec->name, "repay", "lenders refused to refinance all of it at its leverage",
        {{"principal_usd", repaid_usd}, {"rolled_over_usd", rolled_usd}, {"leverage", leverage},
         {"max_leverage", max_leverage}});
    loan.principal_usd = rolled_usd;
    if (rolled_usd > 0.0) {
      loan.rate = borrowing_rate(base_rate(), a.spec->finance, max_leverage, finance_.crunch_spread);
      loan.maturity = now_ + a.spec->finance.loan_term_quarters;
    }
    if (a.ledger.balance(Account::cash) < a.spec->min_cash_usd) enter_distress(ai, "a maturing loan could not be refinanced");
  }
  std::erase_if(a.loans, [](const Loan& l) { return l.principal_usd <= 0.0; });
}

// --- distress ----------------------------------------------------------------------------

void World::enter_distress(std::uint32_t ai, const std::string& cause) {
  Agent& a = agents_[ai];
  if (a.distressed || a.defaulted) return;
  a.distressed = true;
  a.distressed_since = now_;
  a.facility_undrawn_usd = 0.0;  // lenders withdraw what they had not paid out
  log(EntityKind::agent, a.spec->name, "distress", cause,
      {{"cash_usd", a.ledger.balance(Account::cash)}, {"debt_usd", a.ledger.debt_usd()}});
  cancel_orders(ai, -1, "distress: " + cause);
  list_for_sale(ai, spec_.finance.fire_sale_share);
}

void World::default_agent(std::uint32_t ai, const std::string& cause) {
  Agent& a = agents_[ai];
  a.defaulted = true;
  a.distressed = true;
  a.facility_undrawn_usd = 0.0;
  cancel_orders(ai, -1, "default");
  // Its chips leave its sites and go to the secondary market; its creditors write off the loans.
  for (const std::uint32_t i : fleet_.owned_by(ai)) {
    if (fleet_.retired[i]) continue;
    if (fleet_.site[i] != no_site) {
      Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
      s.used_mw = std::max(0.0, s.used_mw - fleet_.count[i] * supply_.chips[fleet_.chip[i]].spec->power_kw / 1000.0);
      fleet_.site[i] = no_site;
    }
    fleet_.powered_count[i] = 0.0;
    fleet_.set_listed(i, true);
  }
  const double written_off = a.ledger.debt_usd();
  a.ledger.post(Account::debt, Account::equity, written_off);
  a.loans.clear();
  log(EntityKind::agent, a.spec->name, "default", cause,
      {{"debt_written_off_usd", written_off}, {"cash_usd", a.ledger.balance(Account::cash)}});
  // Its contracts end: each counterparty loses what was still to come (a counterparty chain).
  for (const ContractSpec& c : spec_.contracts) {
    if (c.buyer_index != ai && c.seller_index != ai) continue;
    const int left = c.start + c.length_quarters - std::max(now_, c.start);
    if (left <= 0) continue;
    const std::uint32_t other = c.buyer_index == ai ? c.seller_index : c.buyer_index;
    if (agents_[other].defaulted) continue;
    log(EntityKind::agent, agents_[other].spec->name, "contract_lost",
        "contract " + c.name + " ends: its " + (c.buyer_index == ai ? "buyer " : "seller ") + a.spec->name +
            " defaulted",
        {{"h100e", c.compute_h100e},
         {"value_left_usd", c.compute_h100e * c.price_usd_per_hour * hours_per_quarter * left},
         {"quarters_left", static_cast<double>(left)}});
  }
}

}  // namespace aidc
