/** Where sellers and buyers come from: a country with the names and languages that go with it. */
export interface Country {
  code: string;
  name: string;
  languages: string[];
  firstNames: string[];
  lastNames: string[];
  /** Relative share of people from here. */
  weight: number;
}

export const COUNTRIES: Country[] = [
  {
    code: "US", name: "the United States", languages: ["English"], weight: 5,
    firstNames: ["James", "Emily", "Michael", "Sarah", "David", "Jessica", "Chris", "Ashley"],
    lastNames: ["Johnson", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Clark"],
  },
  {
    code: "GB", name: "the United Kingdom", languages: ["English"], weight: 3,
    firstNames: ["Oliver", "Amelia", "Harry", "Sophie", "George", "Charlotte", "Jack", "Lucy"],
    lastNames: ["Smith", "Jones", "Evans", "Roberts", "Walker", "Wright", "Hughes", "Green"],
  },
  {
    code: "IN", name: "India", languages: ["English", "Hindi"], weight: 5,
    firstNames: ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Neha", "Arjun", "Kavya"],
    lastNames: ["Sharma", "Patel", "Gupta", "Iyer", "Reddy", "Singh", "Nair", "Mehta"],
  },
  {
    code: "PK", name: "Pakistan", languages: ["English", "Urdu"], weight: 3,
    firstNames: ["Ali", "Ayesha", "Hamza", "Fatima", "Usman", "Zainab", "Bilal", "Hira"],
    lastNames: ["Khan", "Ahmed", "Malik", "Hussain", "Qureshi", "Butt", "Raza", "Siddiqui"],
  },
  {
    code: "NG", name: "Nigeria", languages: ["English", "Yoruba"], weight: 3,
    firstNames: ["Chinedu", "Amaka", "Tunde", "Ngozi", "Emeka", "Funmi", "Segun", "Ifeoma"],
    lastNames: ["Okafor", "Adeyemi", "Balogun", "Eze", "Nwosu", "Okonkwo", "Adebayo", "Obi"],
  },
  {
    code: "UA", name: "Ukraine", languages: ["English", "Ukrainian"], weight: 2,
    firstNames: ["Oleksandr", "Olena", "Dmytro", "Iryna", "Andriy", "Kateryna", "Taras", "Yulia"],
    lastNames: ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Lysenko"],
  },
  {
    code: "PL", name: "Poland", languages: ["English", "Polish"], weight: 2,
    firstNames: ["Jakub", "Zofia", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Kamil", "Agnieszka"],
    lastNames: ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański"],
  },
  {
    code: "DE", name: "Germany", languages: ["English", "German"], weight: 2,
    firstNames: ["Lukas", "Anna", "Felix", "Lena", "Jonas", "Mia", "Leon", "Hannah"],
    lastNames: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"],
  },
  {
    code: "BR", name: "Brazil", languages: ["English", "Portuguese"], weight: 2,
    firstNames: ["João", "Ana", "Pedro", "Beatriz", "Lucas", "Camila", "Gabriel", "Larissa"],
    lastNames: ["Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira"],
  },
  {
    code: "PH", name: "the Philippines", languages: ["English", "Filipino"], weight: 3,
    firstNames: ["Mark", "Angelica", "John Paul", "Kristine", "Paolo", "Maricel", "Jericho", "Bea"],
    lastNames: ["Reyes", "Santos", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Ramos"],
  },
  {
    code: "ES", name: "Spain", languages: ["English", "Spanish"], weight: 2,
    firstNames: ["Alejandro", "Lucía", "Javier", "Marta", "Sergio", "Carmen", "Pablo", "Elena"],
    lastNames: ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres"],
  },
  {
    code: "FR", name: "France", languages: ["English", "French"], weight: 2,
    firstNames: ["Louis", "Camille", "Hugo", "Manon", "Théo", "Chloé", "Antoine", "Léa"],
    lastNames: ["Martin", "Bernard", "Dubois", "Laurent", "Lefèvre", "Moreau", "Girard", "Fontaine"],
  },
  {
    code: "EG", name: "Egypt", languages: ["English", "Arabic"], weight: 2,
    firstNames: ["Omar", "Nour", "Youssef", "Mariam", "Karim", "Salma", "Mostafa", "Hana"],
    lastNames: ["Hassan", "Mahmoud", "Ibrahim", "Farouk", "Saleh", "Nasser", "Fahmy", "Khalil"],
  },
  {
    code: "KE", name: "Kenya", languages: ["English", "Swahili"], weight: 2,
    firstNames: ["Brian", "Wanjiru", "Kevin", "Achieng", "Dennis", "Njeri", "Victor", "Akinyi"],
    lastNames: ["Otieno", "Kamau", "Mwangi", "Wanjala", "Kiprop", "Odhiambo", "Mutua", "Chebet"],
  },
  {
    code: "VN", name: "Vietnam", languages: ["English", "Vietnamese"], weight: 2,
    firstNames: ["Minh", "Linh", "Huy", "Trang", "Quang", "Thao", "Duc", "Mai"],
    lastNames: ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"],
  },
  {
    code: "CA", name: "Canada", languages: ["English", "French"], weight: 2,
    firstNames: ["Liam", "Olivia", "Noah", "Emma", "Ethan", "Chloe", "Logan", "Ava"],
    lastNames: ["Tremblay", "Roy", "Gagnon", "Campbell", "MacDonald", "Bouchard", "Stewart", "Fraser"],
  },
];

/** Lower-case ASCII letters and digits only: "Wiśniewski" → "wisniewski". */
export function asciiHandle(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}
