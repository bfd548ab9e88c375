"""Person names of many cultures, written for this corpus (common given names and surnames as
they are romanised in everyday use). One list per culture so a screen can mix them the way a
multinational company's directory does."""

CULTURES = {
    "english": (
        "James Olivia Harriet Connor Megan Dylan Bethany Gareth Imogen Rhys Tamsin Callum Eleanor Wesley Nora Dale Brenda Leroy",
        "Whitfield Ashcombe Pennington Hargreaves Thornbury Oakley Fairweather Ridley Blackwood Cartwright Holloway Kingsley Aldridge Bramwell Dunmore",
    ),
    "spanish": (
        "Alejandro Lucía Mateo Valentina Santiago Ximena Joaquín Paloma Rodrigo Inés Esteban Catalina Marisol Iker Guadalupe",
        "García Fernández Ibáñez Castellanos Villanueva Quiroga Echeverría Montoya Salazar Bermúdez Arriaga Zamora Cienfuegos Olmedo",
    ),
    "portuguese": (
        "João Beatriz Thiago Larissa Gonçalo Mariana Rafael Letícia Vinícius Fernanda Caio Adriana Tiago Leonor",
        "Ferreira Carvalho Nogueira Albuquerque Magalhães Sampaio Figueiredo Rebelo Cardoso Teixeira Moura Bettencourt Quintela",
    ),
    "german": (
        "Lukas Johanna Maximilian Annika Florian Friederike Tobias Svenja Matthias Wiebke Jörg Ulrike Henrik Mareike",
        "Schneider Hoffmann Wagenknecht Brückner Lindemann Schäfer Vogelsang Krämer Hausmann Oberholzer Dietrich Eichhorn Falkenberg",
    ),
    "french": (
        "Camille Théo Margaux Baptiste Élodie Guillaume Solène Quentin Anaïs Mathis Capucine Laurent Océane Benoît",
        "Delacroix Moreau Lefebvre Girard Rousseau Chevalier Fontaine Marchand Beaulieu Duval Lemaire Picard Faucher Brochard",
    ),
    "italian": (
        "Giulia Lorenzo Chiara Matteo Francesca Alessandro Beatrice Davide Martina Riccardo Ilaria Tommaso Serena",
        "Rossi Bianchi Esposito Colombo Ricci Marino Greco Bruno Galli Conti Mancini Lombardi Ferraro Santoro",
    ),
    "dutch": (
        "Daan Sanne Bram Lotte Joris Femke Sem Fleur Thijs Marieke Ruben Anouk",
        "de Vries van Dijk Bakker Janssen Visser Smit Meijer de Boer Mulder Vermeulen van Leeuwen Hendriks",
    ),
    "nordic": (
        "Astrid Magnus Ingrid Sindre Freja Oskar Sigrid Eirik Linnea Henrik Solveig Jonas",
        "Lindqvist Johansson Haugen Bergström Nyström Solberg Andersen Halvorsen Sandvik Lindgren Eriksen Kjeldsen",
    ),
    "polish": (
        "Tomasz Agnieszka Paweł Katarzyna Grzegorz Małgorzata Wojciech Zuzanna Marek Joanna Krzysztof Ewelina",
        "Kowalski Nowak Wiśniewska Wójcik Kamiński Lewandowska Zieliński Szymańska Dąbrowski Kozłowska Jankowski Mazur",
    ),
    "russian": (
        "Olga Dmitri Anastasia Sergei Yekaterina Mikhail Svetlana Alexei Natalia Pavel Irina Vladislav",
        "Petrov Ivanova Sokolov Volkova Morozov Lebedeva Kuznetsov Novikova Fedorov Orlova Zaitsev Belova",
    ),
    "greek": (
        "Nikos Eleni Giorgos Katerina Dimitris Sofia Yannis Anastasia Kostas Despina",
        "Papadopoulos Georgiou Konstantinidis Nikolaidou Vlachos Karagiannis Antonopoulou Stavrou Christodoulou",
    ),
    "turkish": (
        "Emre Elif Burak Zeynep Mehmet Ayşe Can Selin Oğuz Derya Kerem Esra",
        "Yılmaz Kaya Demir Çelik Şahin Aydın Öztürk Arslan Doğan Kılıç Koç Kurt",
    ),
    "arabic": (
        "Youssef Fatima Omar Layla Khalid Noor Tariq Amira Karim Salma Hamza Rania Bilal Yasmin",
        "Haddad Al-Mansouri Nasser Khoury Abdallah El-Amin Farouk Saleh Haddadin Mansour Qureshi Rahman Aziz",
    ),
    "hebrew": (
        "Noa Eitan Tamar Yonatan Shira Amit Maya Ori Talia Gilad",
        "Cohen Levi Mizrahi Peretz Biton Friedman Avraham Shapiro Katz Dahan",
    ),
    "indian": (
        "Priya Arjun Ananya Rohan Kavya Vikram Deepika Siddharth Lakshmi Aditya Meera Rahul Sanjana Karthik",
        "Sharma Iyer Patel Reddy Nair Chatterjee Krishnan Venkataraman Banerjee Deshpande Menon Gupta Subramanian Kulkarni",
    ),
    "chinese": (
        "Wei Xiaoling Jian Mei Hao Yun Zhiwei Lin Jun Fang Qiang Hui Xin Lei",
        "Chen Wang Zhang Liu Huang Zhou Wu Xu Sun Ma Zhu Hu Guo Lin",
    ),
    "japanese": (
        "Haruto Yui Kenji Aoi Takumi Sakura Ren Hina Daichi Mio Shota Yuna",
        "Tanaka Nakamura Watanabe Yamamoto Kobayashi Takahashi Matsumoto Inoue Kimura Hayashi Saito Shimizu",
    ),
    "korean": (
        "Min-jun Seo-yeon Ji-hoon Ha-eun Dong-hyun Soo-ah Jae-won Yu-na Hyun-woo Ji-woo",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim",
    ),
    "vietnamese": (
        "Minh Linh Duc Thao Huy Trang Quang Ngoc Tuan Hoa",
        "Nguyen Tran Le Pham Hoang Vu Dang Bui Do Ngo",
    ),
    "yoruba_igbo": (
        "Adebayo Chiamaka Oluwaseun Ngozi Babatunde Adaeze Emeka Folasade Chukwudi Funmilayo Ikenna Yetunde",
        "Okafor Adeyemi Nwosu Balogun Eze Okonkwo Adebanjo Obi Afolabi Chukwu Olawale Nnamdi",
    ),
    "swahili": (
        "Amani Baraka Neema Jabari Zawadi Juma Imani Kito Rehema Tumaini",
        "Mwangi Otieno Wanjiru Kamau Njoroge Achieng Mutua Odhiambo Wambui Kiprop",
    ),
    "persian": (
        "Dariush Shirin Arash Leila Kian Parisa Reza Nasrin Babak Yasaman",
        "Hosseini Tehrani Rahimi Karimi Mohammadi Ahmadi Jafari Sadeghi",
    ),
}


def culture_lists():
    """{culture: ([first names], [last names])} with multi-word surnames kept whole."""
    out = {}
    for culture, (firsts, lasts) in CULTURES.items():
        words = lasts.split()
        surnames, i = [], 0
        while i < len(words):  # "de Vries", "van Dijk", "van Leeuwen", "de Boer"
            if words[i] in ("de", "van") and i + 1 < len(words):
                j = i + 1
                while words[j] in ("de", "van") and j + 1 < len(words):
                    j += 1
                surnames.append(" ".join(words[i:j + 1]))
                i = j + 1
            else:
                surnames.append(words[i])
                i += 1
        out[culture] = (firsts.split(), surnames)
    return out
