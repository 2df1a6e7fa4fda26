// What the sandbox platform "holds" for a person: certificates made up deterministically from their
// ID number (synthetic people only), so the same person always sees the same records.
import { createHmac } from 'node:crypto';
import { birthDigits } from '../../../devices/id-card-reader/id-number';
import type { Bilingual, CertificateContent } from './certificate-pdf';

export interface Person {
  readonly name: string;
  readonly idNumber: string;
}

export interface HeldCertificate {
  readonly id: string;
  readonly kind: string;
  readonly title: Bilingual;
  readonly issuer: string;
  readonly content: (issuedAt: Date, verifyBase: string) => CertificateContent;
}

/** A small deterministic generator seeded by the person and the record kind. */
function numbers(secret: string, person: Person, kind: string): () => number {
  let counter = 0;
  return () => {
    const digest = createHmac('sha256', secret).update(`${person.idNumber}:${kind}:${counter++}`).digest();
    return digest.readUInt32BE(0) / 4_294_967_296;
  };
}

export function certificateId(secret: string, person: Person, kind: string): string {
  return createHmac('sha256', secret).update(`certificate:${person.idNumber}:${kind}`).digest('base64url').slice(0, 24);
}

const yuan = (fen: number): string => (fen / 100).toFixed(2);

export function heldCertificates(secret: string, person: Person, now: Date): HeldCertificate[] {
  const birth = birthDigits(person.idNumber);
  const region = person.idNumber.slice(0, 6);
  const make = (kind: string, title: Bilingual, issuer: string, intro: string, columns: string[], rows: (random: () => number) => string[][]): HeldCertificate => {
    const id = certificateId(secret, person, kind);
    return {
      id,
      kind,
      title,
      issuer,
      content: (issuedAt, verifyBase) => ({
        serial: `${kind.slice(0, 3).toUpperCase()}${id.slice(0, 10).toUpperCase()}`,
        title,
        holder: person,
        issuer,
        issuedAt,
        intro,
        table: { columns, rows: rows(numbers(secret, person, kind)) },
        verifyUrl: `${verifyBase}?c=${id}`,
      }),
    };
  };
  const months = (count: number): string[] =>
    Array.from({ length: count }, (_, i) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
      return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    });
  return [
    make('socialInsuranceRecord', { zh: '社会保险个人权益记录', en: 'Social insurance personal record' }, '杭州市社会保险事业管理中心', '以下为参保人近十二个月职工基本养老保险缴费记录。 The insured person\'s pension contributions over the last twelve months.', ['缴费年月 Month', '险种 Scheme', '缴费基数 Base', '个人缴费 Own', '单位缴费 Employer'], (r) => {
      const base = 600_000 + Math.floor(r() * 800_000);
      return months(12).map((m) => [m, '企业职工基本养老保险', yuan(base), yuan(Math.round(base * 0.08)), yuan(Math.round(base * 0.14))]);
    }),
    make('householdRecord', { zh: '户籍证明', en: 'Household registration certificate' }, '杭州市公安局西湖区分局', '兹证明下列人员户籍登记信息如下。 This certifies the household registration of the person below.', ['项目 Item', '内容 Record'], () => [
      ['出生日期 Date of birth', `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`],
      ['性别 Sex', Number(person.idNumber[16]) % 2 === 1 ? '男 Male' : '女 Female'],
      ['户籍地址 Registered address', `浙江省杭州市西湖区（行政区划 ${region}）`],
      ['与户主关系 Relation to head', '户主 Head of household'],
      ['登记日期 Registered on', `${Number(birth.slice(0, 4)) + 18}-09-01`],
    ]),
    make('propertySearch', { zh: '不动产登记资料查询结果', en: 'Real estate register search result' }, '杭州市不动产登记服务中心', '经查询，权利人名下登记的不动产如下。 The register shows the following property in the holder\'s name.', ['坐落 Location', '不动产单元号 Unit', '面积 Area (m²)', '用途 Use'], (r) => {
      const count = Math.floor(r() * 3);
      if (count === 0) return [['（无登记记录 None registered）', '-', '-', '-']];
      return Array.from({ length: count }, (_, i) => [`西湖区示例路${10 + Math.floor(r() * 80)}号${1 + i}幢${100 + Math.floor(r() * 1500)}室`, `330106${String(Math.floor(r() * 1e9)).padStart(9, '0')}F0001${i}`, (60 + r() * 90).toFixed(2), '住宅 Residential']);
    }),
    make('incomeTaxRecord', { zh: '个人所得税纳税记录', en: 'Individual income tax payment record' }, '国家税务总局杭州市西湖区税务局', '纳税人在下列所属期已缴纳个人所得税。 Income tax paid by the taxpayer for the periods below.', ['所属期 Period', '所得项目 Income', '收入额 Income', '实缴税额 Tax paid'], (r) => {
      const salary = 800_000 + Math.floor(r() * 1_200_000);
      return months(6).map((m) => [m, '工资薪金所得 Wages', yuan(salary), yuan(Math.max(0, Math.round((salary - 500_000) * 0.03)))]);
    }),
    make('medicalEnrolment', { zh: '基本医疗保险参保凭证', en: 'Basic medical insurance enrolment certificate' }, '杭州市医疗保障局', '参保人参加基本医疗保险情况如下。 The holder\'s medical insurance enrolment.', ['项目 Item', '内容 Record'], () => [
      ['参保险种 Scheme', '职工基本医疗保险 Employees\' basic medical insurance'],
      ['参保状态 Status', '正常参保 Enrolled'],
      ['参保地 Place', '杭州市西湖区 Xihu District, Hangzhou'],
      ['参保日期 Since', `${Number(birth.slice(0, 4)) + 22}-07-01`],
    ]),
    make('electronicLicence', { zh: '机动车驾驶证电子凭证', en: 'Electronic driving licence' }, '杭州市公安局交通警察支队', '驾驶证电子凭证信息如下。 Details of the electronic driving licence.', ['项目 Item', '内容 Record'], (r) => [
      ['准驾车型 Class', r() < 0.8 ? 'C1' : 'C2'],
      ['初次领证日期 First issued', `${Number(birth.slice(0, 4)) + 20}-05-12`],
      ['有效期至 Valid until', `${now.getUTCFullYear() + 4}-05-12`],
      ['状态 Status', '正常 Valid'],
    ]),
  ];
}
