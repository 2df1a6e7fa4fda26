// Synthetic cards for tests: invented people, ID numbers with valid check digits.
import type { SimulatedCard } from './simulated-card';

export const TEST_CARDS: SimulatedCard[] = [
  { id: 'resident', type: 'resident', name: '张伟明', sexCode: '1', nationCode: '01', birth: '19850409', address: '浙江省杭州市西湖区示例路1号', idNumber: '330106198504091230', authority: '杭州市公安局西湖分局', validFrom: '20150601', validTo: '20350601', fingerprint: true },
  { id: 'long-term', type: 'resident', name: '王秀英', sexCode: '2', nationCode: '11', birth: '19500115', address: '浙江省杭州市西湖区示例村12号', newAddress: '浙江省杭州市西湖区示例路8号', idNumber: '330106195001152245', authority: '杭州市公安局西湖分局', validFrom: '20100301', validTo: '长期', fingerprint: false },
  { id: 'expired', type: 'resident', name: '李娜', sexCode: '2', nationCode: '03', birth: '19921130', address: '北京市东城区示例胡同3号', idNumber: '110105199211300040', authority: '北京市公安局东城分局', validFrom: '20100101', validTo: '20200101', fingerprint: false },
  { id: 'hmt', type: 'hmtPermit', name: '陈家豪', sexCode: '1', birth: '19900721', address: '广东省深圳市福田区示例大道88号', idNumber: '810000199007210070', authority: '深圳市公安局', validFrom: '20190301', validTo: '20290301', passNumber: 'H12345678', issueCount: '01', fingerprint: false },
  { id: 'foreign-2017', type: 'foreignPermanent2017', englishName: 'SMITH, JOHN ROBERT', name: '史密斯', sexCode: '1', idNumber: 'USA310085030101', nationality: 'USA', birth: '19850301', validFrom: '20170901', validTo: '20270901', cardVersion: '17', authorityCode: '3100', fingerprint: false },
  { id: 'foreign-2023', type: 'foreignPermanent2023', name: '玛丽亚', englishName: 'GARCIA LOPEZ, MARIA DEL CARMEN ISABELLA', sexCode: '2', renewalCount: '00', birth: '19881205', idNumber: '931724198812050025', nationality: 'ESP', validFrom: '20240110', validTo: '20340110', fingerprint: false },
];
