import { parseCrmConfig } from '#platform/config/crm-config.js';
import { PARTNERS_CONFIG, PARTNERS_SECTION } from './partners.config.js';

const parse = (yaml: string) =>
  PARTNERS_SECTION.read(parseCrmConfig(`version: 1\n${yaml}`, 'f', PARTNERS_CONFIG));

describe('partners.access: the partner role', () => {
  it('lets partners see every partner field and edit as before unless told otherwise', () => {
    expect(parse('').access).toEqual({
      leads: { hidden: [], editable: ['status'] },
      opportunities: { hidden: [], editable: ['nextStep'] },
    });
  });

  it('hides and locks what the config names', () => {
    const access = parse(
      'partners: { access: { leads: { hidden: [email, phone], editable: [] }, opportunities: { hidden: [amount] } } }\n',
    ).access;
    expect(access.leads).toEqual({ hidden: ['email', 'phone'], editable: [] });
    expect(access.opportunities).toEqual({ hidden: ['amount'], editable: ['nextStep'] });
  });

  it('refuses fields a partner view never has, or an update never changes', () => {
    expect(() => parse('partners: { access: { leads: { hidden: [score] } } }\n')).toThrow(
      '/partners/access/leads/hidden/0',
    );
    expect(() => parse('partners: { access: { leads: { hidden: [id] } } }\n')).toThrow(
      '/partners/access/leads/hidden/0',
    );
    expect(() =>
      parse('partners: { access: { opportunities: { editable: [amount] } } }\n'),
    ).toThrow('/partners/access/opportunities/editable/0');
    expect(() => parse('partners: { access: { deals: {} } }\n')).toThrow('/partners/access');
  });
});
