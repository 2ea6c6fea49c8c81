using System.Collections.Frozen;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// Built-in word lists the rule-based extractor reads shape and context from. Every entry is a normalised key
/// (lower case, no diacritics or dots) so lookups compare token keys with ordinal equality and never allocate.
/// </summary>
internal static class Lexicon
{
    /// <summary>Words that are capitalised only because they start a sentence or a question: never a name on their own.</summary>
    public static readonly FrozenSet<string> FunctionWords = Set("""
        a an the this that these those there here it its it's they them their theirs he him his she her hers we us our
        ours you your yours i me my mine who whom whose which what whatever whoever when where why how whether if
        unless although though because since while whereas as so than then thus hence therefore however moreover
        furthermore nevertheless nonetheless meanwhile otherwise instead also too both either neither nor not no yes
        and or but yet for of in on at by to from with without within into onto upon over under above below between
        among amongst through throughout during before after until till against about around across along beside
        besides behind beyond near toward towards via per despite except inside outside like unlike according
        is are was were be been being am do does did done doing have has had having will would shall should can
        could may might must ought let lets each every all any some many much more most few fewer less least several
        such other another same own only just even still already always never often sometimes usually once twice
        again ever perhaps maybe indeed rather quite very really almost nearly about approximately roughly
        following followed born died located based founded established known called named considered described
        originally initially currently formerly previously later earlier subsequently eventually finally recently
        today tomorrow yesterday now soon then first second third fourth fifth last next early late
        one two three four five six seven eight nine ten eleven twelve twenty thirty hundred thousand million billion
        upon whilst hereafter thereafter whereby wherein overall generally typically traditionally historically
        notably especially particularly primarily mainly mostly largely partly fully widely commonly frequently
        unlike along amid amidst alongside regarding concerning considering including excluding
        mr mrs ms dr prof sir madam
        """);

    /// <summary>Common English words that, capitalised at a sentence start, are far more often not a name.</summary>
    public static readonly FrozenSet<string> CommonWords = Set("""
        after although among another area areas article based become became began begin being best better between
        book books built case cases century change children church city common company country county court day days
        development different due during early east end english even example fact family film films following form
        found general government great group head high history home house however human important include includes
        included including information international known land large late later law league life line list local long
        made main major make many member members men military modern most much music name national new north
        notable number often old original other part party people period person place played player players point
        political popular population present public published range record records region released research river
        road royal school season second series service several short side since single small social son song south
        special species state states station still story study system team term then third three time title town
        two under united university until used using various version war water way well west while women work works
        world year years young located situated according although since upon during despite given prior unlike
        having taking making using being becoming following including although whereas whether
        several various numerous certain particular specific typical modern ancient medieval classical contemporary
        traditional official former current previous original primary secondary final annual monthly weekly daily
        major minor greater lesser upper lower northern southern eastern western central inner outer
        many most some such other others both each every either neither all any few none nothing something
        everything anything someone everyone anyone nobody somebody everybody
        born died founded established created designed developed produced written directed performed recorded
        released published formed opened closed built located based named called known considered regarded
        appointed elected selected nominated awarded given held made used seen shown set sold started begun
        notable famous prominent successful popular influential important significant major
        critics scholars historians researchers scientists experts officials authorities residents members fans
        unfortunately fortunately interestingly surprisingly importantly additionally alternatively consequently
        similarly likewise conversely accordingly ultimately essentially basically apparently evidently obviously
        although though even though still yet
        background career biography overview history plot synopsis reception legacy production release
        description etymology geography demographics economy education culture transport transportation politics
        damage damages death deaths injuries casualties losses victims survivors storm storms weather climate
        temperature rainfall snowfall flooding floods fire fires war wars battle battles attack attacks army armies
        troops forces soldiers police officers government governments parliament congress court courts law laws
        rules policy policies tax taxes trade business industry industries market markets company companies
        bank banks money price prices cost costs sales revenue profit profits income workers employees staff
        students teachers children parents families women men people population residents citizens visitors
        tourists fans audiences viewers readers listeners players teams clubs leagues games matches seasons
        songs albums films movies books novels stories poems plays shows episodes series characters roles
        actors singers writers artists musicians directors producers critics reviews awards prizes
        buildings houses homes towns cities villages roads streets bridges rivers lakes mountains islands
        countries states regions areas parts sides lines points levels numbers groups members leaders
        churches schools universities colleges hospitals museums libraries parks gardens farms factories
        animals plants trees flowers birds fish insects species genus family families breeds
        water air land sea soil rock stone gold silver iron steel oil gas coal power energy electricity
        food drink wine beer bread meat milk sugar salt rice wheat corn coffee tea
        research science technology medicine health disease diseases treatment treatments patients doctors
        language languages words names titles terms letters numbers figures data results studies reports
        evidence records documents papers articles journals magazines newspapers
        early later modern recent current former future past present old new young little big small large
        high low long short full empty free open closed public private local national international
        foreign domestic main major minor general special particular common rare similar different
        original traditional popular famous successful important significant serious critical
        """);

    /// <summary>Lower-case words allowed inside a name between two capitalised words ("University of California").</summary>
    public static readonly FrozenSet<string> Connectors = Set("""
        of the de del della der den des di da do dos das du la le les van von y e for on upon al el bin ibn zu ten ter
        und and sur sous aan op het es
        """);

    /// <summary>Name particles that may open a name ("van Gogh", "de Gaulle").</summary>
    public static readonly FrozenSet<string> Particles = Set("""
        de del della der den des di da do dos das du la le van von al el bin ibn ten ter zu
        """);

    /// <summary>Abbreviations whose trailing period belongs to the name ("Inc.", "St. Louis", "Jr.").</summary>
    public static readonly FrozenSet<string> NameAbbreviations = Set("""
        inc ltd co corp jr sr st mt ft bros llc plc assn dept univ no
        """);

    /// <summary>
    /// A legal form written after a company name ("AS", "B.V.", "GmbH", "Ltd", "plc"): it ends the name as written and
    /// is left out of its key (<see cref="Graph.EntityKey.IsLegalForm"/>, the one list). Two-letter forms are words too
    /// ("as", "se"), so they count only in capitals or with dots; lower case only for abbreviations that are never words.
    /// </summary>
    public static bool IsLegalForm(in Token token)
    {
        if (token.Kind != TokenKind.Word || !Graph.EntityKey.IsLegalForm(token.Key))
        {
            return false;
        }

        if (token.Is(TokenShape.Dotted | TokenShape.AllCaps | TokenShape.Mixed))
        {
            return true;
        }

        return token.Is(TokenShape.Lower)
            ? token.Key is "plc" or "ltd" or "llc" or "inc" or "gmbh"
            : token.Key.Length >= 3 && token.Key != "spa";
    }

    /// <summary>Ship prefixes written in capitals before a vessel's name ("RV Albatros Nord", "MS Vestrand Star", "HMS Victory").</summary>
    public static readonly FrozenSet<string> VesselPrefixes = Set("""
        rv mv ms hms uss ss rms fv mts hmcs hmas usns sv
        """);

    /// <summary>Nouns for a role held in an organisation: "the chief engineer of X", "a co-founder of X" name X as one.</summary>
    public static readonly FrozenSet<string> OrganizationRoles = Set("""
        founder founders cofounder cofounders executive executives ceo cto cfo coo engineer engineers employee employees
        shareholder shareholders subsidiary subsidiaries division parent supplier customer customers competitor
        competitors investor investors chairman chairwoman
        """);

    /// <summary>Honorifics and offices that precede a person's name and are not part of it.</summary>
    public static readonly FrozenSet<string> Honorifics = Set("""
        mr mrs ms miss mx dr prof professor sir dame lord lady king queen prince princess duke duchess earl count
        countess baron baroness emperor empress pope president vice prime minister chancellor senator governor mayor
        general colonel captain lieutenant sergeant admiral commander marshal bishop archbishop cardinal reverend rev
        father rabbi imam sheikh sultan emir judge justice secretary ambassador deputy representative rep sen gov gen
        col capt lt sgt adm pres coach detective premier speaker tsar czar shah pharaoh caliph maharaja raja chairman
        chairwoman chief officer commissioner congressman congresswoman councillor councilman assemblyman president-elect
        saint-emperor grand master dean provost rector principal director
        """);

    /// <summary>Honorifics that say the name that follows is a person (unlike "Director", "Grand").</summary>
    public static readonly FrozenSet<string> PersonHonorifics = Set("""
        mr mrs ms miss mx dr prof professor sir dame lord lady king queen prince princess duke duchess earl countess
        baron baroness emperor empress pope president senator governor mayor general colonel captain lieutenant
        sergeant admiral bishop archbishop cardinal reverend rev rabbi imam sheikh sultan emir judge justice
        ambassador congressman congresswoman tsar czar shah pharaoh caliph maharaja raja chancellor
        """);

    public static readonly FrozenSet<string> Months = Set("""
        january february march april may june july august september october november december
        jan feb mar apr jun jul aug sep sept oct nov dec
        """);

    public static readonly FrozenSet<string> Weekdays = Set("""
        monday tuesday wednesday thursday friday saturday sunday
        """);

    /// <summary>Nationality and language adjectives: an entity only when used as a noun ("translated into Latin").</summary>
    public static readonly FrozenSet<string> Demonyms = Set("""
        american british english scottish welsh irish french german italian spanish portuguese dutch flemish belgian
        swiss austrian swedish norwegian danish finnish icelandic russian polish czech slovak hungarian romanian
        bulgarian greek turkish serbian croatian bosnian slovenian albanian macedonian ukrainian belarusian lithuanian
        latvian estonian georgian armenian azerbaijani kazakh uzbek persian iranian iraqi syrian lebanese israeli
        jewish arab arabic egyptian moroccan algerian tunisian libyan ethiopian kenyan nigerian ghanaian south-african
        african asian european chinese japanese korean vietnamese thai burmese cambodian indonesian malaysian filipino
        indian pakistani bangladeshi nepalese sri sinhalese tamil afghan mongolian tibetan taiwanese canadian mexican
        brazilian argentine argentinian chilean peruvian colombian venezuelan cuban jamaican haitian dominican
        australian zealand new-zealand hawaiian latin hebrew sanskrit hindi urdu bengali punjabi mandarin cantonese
        catholic protestant christian muslim islamic hindu buddhist anglican orthodox lutheran methodist baptist
        roman byzantine ottoman soviet yugoslav prussian bavarian saxon norman viking celtic gaelic anglo-saxon
        akkadian sumerian babylonian assyrian persian mesopotamian egyptian phoenician hellenistic
        western eastern northern southern central north south east west
        """);

    /// <summary>Words that end organisation names.</summary>
    public static readonly FrozenSet<string> OrganizationHeads = Set("""
        inc incorporated ltd limited llc llp plc corp corporation co company companies group holdings industries
        enterprises partners associates bank bancorp airlines airways motors electric electronics systems technologies
        technology software labs laboratories pharmaceuticals entertainment studios studio pictures films productions
        records recordings music media network networks broadcasting communications press publishing publishers
        publications books university college institute institution academy school seminary conservatory association
        society council committee commission agency authority bureau department ministry office service services
        foundation fund trust federation confederation union league alliance coalition party movement organization
        organisation club fc afc team army navy corps regiment brigade police parliament congress senate assembly
        court government orchestra band ensemble choir railway railways railroad lines museum library hospital
        centre center cooperative syndicate brothers bros mills foods stores hotels resorts channel television
        theatre theater dynamics aerospace energy oil petroleum motor automotive insurance capital investments
        securities ventures consulting solutions international worldwide global sa ag gmbh nv bv ab oy spa kg
        administration directorate secretariat church
        """);

    /// <summary>
    /// Organisation heads of institutions rather than companies: their first word is most often a place or a person
    /// ("Brennsund Technical University", "Aberlow Harbour Trust"), so it is not the institution's short name.
    /// </summary>
    public static readonly FrozenSet<string> InstitutionHeads = Set("""
        university college institute institution academy school seminary conservatory association society council
        committee commission agency authority bureau department ministry office service services foundation trust
        federation confederation union league alliance coalition party movement organization organisation club fc afc
        team army navy corps regiment brigade police parliament congress senate assembly court government orchestra
        band ensemble choir museum library hospital centre center church administration directorate secretariat
        cluster consortium board hall festival fair
        """);

    /// <summary>Words that open organisation names ("University of …", "Bank of …").</summary>
    public static readonly FrozenSet<string> OrganizationLeads = Set("""
        university bank institute ministry department college academy society association council house order
        church federation league commission committee board
        """);

    /// <summary>Words that end place names.</summary>
    public static readonly FrozenSet<string> LocationHeads = Set("""
        river creek brook lake lakes sea ocean bay gulf strait mountain mountains hill hills peak range valley canyon
        desert forest island islands isle peninsula coast beach falls glacier plateau plain plains basin delta county
        parish township city town village borough district province prefecture region territory republic kingdom
        empire street avenue road boulevard square park airport station bridge harbor harbour port castle palace
        cathedral temple abbey tower stadium arena highway canal reservoir dam oasis archipelago atoll reef volcano
        heights springs fjord sound state oblast krai voivodeship governorate municipality commune canton department
        emirate sultanate caliphate colony garden gardens zoo aquarium observatory deep trench
        """);

    /// <summary>
    /// Heads of places there are only a few of, all known ("Atlantic", "Pacific" are listed places themselves): a run
    /// of capitals ending in one is not taken for a place inside a longer name ("Baltic Ocean Research Institute").
    /// </summary>
    public static readonly FrozenSet<string> ClosedPlaceHeads = Set("""
        ocean oceans continent
        """);

    /// <summary>Words that open place names ("Mount Everest", "Lake Geneva").</summary>
    public static readonly FrozenSet<string> LocationLeads = Set("""
        mount lake cape fort port isle gulf bay sea san santa los las rio sierra
        """);

    /// <summary>Words that end names of works.</summary>
    public static readonly FrozenSet<string> WorkHeads = Set("""
        journal magazine review gazette times post herald tribune chronicle quarterly bulletin symphony sonata
        concerto suite overture requiem show saga chronicles trilogy transactions letters proceedings annals
        """);

    /// <summary>Words that end names of events, treaties, awards: typed Other.</summary>
    public static readonly FrozenSet<string> EventHeads = Set("""
        war wars battle siege revolution rebellion uprising crisis massacre treaty accord agreement act convention
        conference summit olympics games championship championships cup tournament open festival award awards prize
        medal trophy election referendum expedition campaign disaster earthquake hurricane storm outbreak pandemic
        epidemic code
        """);

    public static readonly FrozenSet<string> EventLeads = Set("""
        battle siege treaty hurricane typhoon
        """);

    /// <summary>Words after which "of", "for" or "on" continues a name ("University of …", "Treaty on …", "Duke of …").</summary>
    public static readonly FrozenSet<string> HeadsOf = OrganizationHeads.Concat(OrganizationLeads).Concat(LocationHeads)
        .Concat(LocationLeads).Concat(WorkHeads).Concat(EventHeads).Concat(EventLeads).Concat(Honorifics).Concat(Split("""
            edict declaration charter constitution statute decree history list book books gospel epistle acts letter
            statue tomb grave chapel basilica knights sisters daughters sons friends people front duchy principality
            commonwealth gallery hall straits faculty diocese archdiocese see tribe clan house dynasty family master
            head chief order peace sack fall invasion assassination coronation storming age era period epoch gate
            garden gardens zoo memorial monument province county kingdom republic empire city town isle island
            islands gulf bay lake sea river mount cape port fort valley district region state states secretary
            minister ministers governor mayor bishop archbishop patriarch abbot prior lord lady king queen prince
            princess duke duchess earl count countess baron emperor empress president chancellor professor doctor
            director commissioner council congress convention conference festival exhibition exposition fair
            championship cup trophy prize award awards medal olympics games series symphony sonata concerto suite
            mass requiem anthem hymn song songs tales tale legend legends chronicles annals proceedings journal
            transactions bulletin review institute institution school college university academy centre center
            department ministry office bureau agency commission committee board court bank library hospital
            museum temple palace castle tower bridge square park stadium station airport harbor harbour
            """)).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Nouns that say what a name is in apposition ("X is a 1994 film", "the band X", "Brand (play)").</summary>
    public static readonly FrozenDictionary<string, string> CategoryNouns = BuildCategoryNouns();

    public static readonly FrozenSet<string> Countries = Set("""
        afghanistan albania algeria andorra angola antigua argentina armenia australia austria azerbaijan bahamas
        bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei
        bulgaria burkina burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus
        czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon
        gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india
        indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait
        kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi
        malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco
        mozambique myanmar burma namibia nauru nepal netherlands holland nicaragua niger nigeria norway oman pakistan
        palau palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal
        serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan
        tajikistan tanzania thailand togo tonga trinidad tunisia turkey turkmenistan tuvalu uganda ukraine uruguay
        uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe england scotland wales britain
        prussia bavaria yugoslavia czechoslovakia tibet macau greenland puerto
        """, "united states", "united states of america", "usa", "us", "u s", "united kingdom", "uk", "great britain",
        "northern ireland", "south africa", "south korea", "north korea", "new zealand", "czech republic",
        "dominican republic", "central african republic", "costa rica", "el salvador", "sri lanka", "saudi arabia",
        "united arab emirates", "ivory coast", "east timor", "papua new guinea", "sierra leone", "south sudan",
        "bosnia and herzegovina", "north macedonia", "soviet union", "ussr", "west germany", "east germany",
        "puerto rico", "hong kong", "vatican city", "san marino", "cape verde", "equatorial guinea",
        "marshall islands", "solomon islands", "trinidad and tobago", "republic of ireland", "ottoman empire",
        "roman empire", "holy roman empire", "byzantine empire", "british empire", "russian empire");

    public static readonly FrozenSet<string> UsStates = Set("""
        alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois
        indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri
        montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington
        wisconsin wyoming
        """, "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "rhode island",
        "south carolina", "south dakota", "west virginia", "district of columbia", "washington d c", "washington dc");

    /// <summary>Provinces, regions and large cities that appear bare in text ("born in Toronto").</summary>
    public static readonly FrozenSet<string> Places = Set("""
        europe asia africa america americas oceania antarctica antarctic arctic australasia eurasia scandinavia
        balkans caribbean siberia mesopotamia anatolia arabia persia manchuria patagonia polynesia melanesia
        micronesia sahara himalayas alps andes pyrenees urals caucasus mediterranean atlantic pacific
        ontario quebec alberta manitoba saskatchewan nova scotia newfoundland yukon queensland victoria tasmania
        bavaria saxony catalonia andalusia galicia sicily sardinia tuscany lombardy normandy brittany provence
        flanders wallonia bohemia moravia silesia transylvania punjab bengal kerala gujarat rajasthan kashmir tamil
        london paris berlin rome madrid lisbon vienna prague budapest warsaw moscow athens istanbul cairo tokyo
        kyoto osaka beijing shanghai hongkong seoul delhi mumbai bombay calcutta kolkata chennai madras bangalore
        karachi lahore dhaka bangkok singapore jakarta manila sydney melbourne brisbane perth adelaide auckland
        wellington toronto montreal vancouver ottawa chicago boston philadelphia houston dallas atlanta miami seattle
        denver phoenix detroit baltimore pittsburgh cleveland cincinnati nashville memphis portland minneapolis
        milwaukee tulsa austin orlando tampa sacramento honolulu anchorage brooklyn manhattan hollywood amsterdam
        rotterdam brussels antwerp zurich geneva munich hamburg frankfurt cologne stuttgart dresden leipzig milan
        naples venice florence turin barcelona seville valencia porto dublin edinburgh glasgow manchester liverpool
        birmingham leeds bristol oxford cambridge stockholm oslo copenhagen helsinki reykjavik tallinn riga vilnius
        kiev kyiv minsk bucharest sofia belgrade zagreb sarajevo tirana ankara tehran baghdad damascus beirut
        jerusalem riyadh dubai doha kabul tashkent almaty ulaanbaatar hanoi saigon taipei lima bogota caracas
        santiago havana nairobi lagos accra johannesburg cape town durban casablanca tunis algiers addis khartoum
        """, "new york city", "los angeles", "san francisco", "san diego", "san jose", "las vegas", "new orleans",
        "washington d c", "hong kong", "cape town", "buenos aires", "rio de janeiro", "sao paulo", "mexico city",
        "tel aviv", "kuala lumpur", "ho chi minh city", "addis ababa", "middle east", "far east", "latin america",
        "north america", "south america", "central america", "east asia", "southeast asia", "south asia",
        "western europe", "eastern europe", "sub saharan africa", "west africa", "east africa", "new england",
        "south pacific", "british columbia", "new south wales", "western australia", "south australia");

    /// <summary>Common given names: a capitalised pair starting with one is most likely a person.</summary>
    public static readonly FrozenSet<string> GivenNames = Set("""
        aaron abel abigail abraham ada adam adrian agnes ahmed aidan alan albert alberto alex alexander alexandra
        alexis alfred alfonso ali alice alicia alison allan allen amanda amber amelia amy ana andre andrea andreas
        andrew andy angela angelo anita ann anna anne annie anthony antoine anton antonio april archibald arnold arthur
        ashley audrey august augusto austin barbara barry bart beatrice ben benjamin bernard bernhard bernardo beth
        betty beverly bill billy bob bobby boris brad bradley brandon brenda brent brett brian bridget brooke bruce
        bruno bryan byron caleb calvin cameron camille carl carla carlo carlos carmen carol caroline carolyn carrie
        casey catherine cecil cecilia celia chad charles charlie charlotte chelsea cheryl chloe chris christian
        christina christine christopher chuck cindy claire clara clarence claude claudia clayton clifford clint clyde
        cole colin connie conrad craig curtis cynthia daisy dale dan daniel daniela danielle danny daphne darren dave
        david dawn dean debbie deborah denis denise dennis derek diana diane diego dmitri dominic don donald donna
        doris dorothy doug douglas duncan dustin dwight earl ed eddie edgar edith edmund edna eduardo edward edwin
        eileen elaine eleanor elena eli elias elijah elisabeth elizabeth ella ellen elliot elsa emily emma emil
        emmanuel enrique eric erica erik erin ernest ernesto esther ethan eugene eva evan evelyn ezra fabio faith
        felix fernando florence floyd frances francesca francis francisco frank franklin franz fred freddie frederick
        friedrich gabriel gabriela gail gary gavin gene geoffrey george georg gerald gerard gerhard gertrude giovanni
        giuseppe glen glenn gloria gordon grace graham grant greg gregory gustav gustavo guy hannah hans harold harriet
        harry harvey hazel heather hector heidi heinrich helen helena henri henrik henry herbert herman hilda howard
        hugh hugo ian ibrahim igor ingrid irene iris isaac isabel isabella ivan jack jackie jackson jacob jacqueline
        jacques jaime jake james jamie jan jane janet janice jared jason javier jay jean jeff jeffrey jennifer jenny
        jeremy jerome jerry jesse jessica jesus jill jim jimmy joan joanna joe joel johann johannes john johnny jon
        jonathan jordan jorge jose joseph josephine josh joshua joyce juan judith judy julia julian julie julio june
        justin karen karin karl kate katherine kathleen kathryn kathy katie keith kelly ken kenneth kerry kevin kim
        kirk kristen kurt kyle lance larry laura lauren lawrence leah lee leo leon leonard leonardo leroy leslie lewis
        liam lillian linda lindsay lisa lloyd logan lois lorenzo lori louis louise lucas lucia lucy luis luke lydia
        lynn mabel madeleine madison maggie malcolm manuel marc marcel marco marcus margaret maria marian marie marilyn
        mario marion mark marshall martha martin marvin mary mason matt matthew maureen maurice max maxwell megan
        melissa michael michel michelle miguel mike mildred miles milton miriam mitchell mohammed mohammad muhammad
        molly monica morgan moses nancy naomi natalie natasha nathan nathaniel neil nelson nicholas nick nicole nicolas
        nigel nikolai noah noel nora norman oliver olivia omar oscar otto owen pablo pamela patricia patrick paul paula
        pauline pedro peggy penelope percy peter philip phillip phyllis pierre priscilla rachel rafael ralph ramon
        randall randy raul ray raymond rebecca regina reginald rene rhonda ricardo richard rick ricky rita rob robert
        roberto robin rodney roger roland ronald ronnie rosa rose rosemary ross roy ruby rudolf russell ruth ryan sabrina
        sally sam samantha samuel sandra sara sarah scott sean sebastian sergei sergio seth shane shannon sharon shawn
        sheila shelley shirley sidney simon sofia sonia sophia sophie stacy stanley stefan stella stephanie stephen
        steve steven stuart susan suzanne sylvia tamara tanya ted teresa terry thelma theodore theresa thomas tim
        timothy tina todd tom tommy tony tracy travis trevor troy tyler valerie vanessa vera veronica victor victoria
        vincent viola violet virginia vivian vladimir wade walter wanda warren wayne wendy wesley wilhelm will william
        willie wilson winston wolfgang yusuf yuri zachary zoe
        abdul abdullah ahmad akira amir anand arjun ashok carlos chen deepak farid fatima giorgio hassan hiroshi
        hussein jamal jiang kenji kofi kumar li mahmoud maria mehmet ming mustafa nasser olga pavel pietro rajesh
        ravi sanjay satoshi sergey shinji sunil takeshi tariq vijay wei xavier yang yasmin yoshi yuki zhang
        lucia luciano andrei aleksandr alexei dmitry mikhail nikita fyodor leo ludwig johan jens lars nils sven
        bjorn olaf magnus erik anders karl pieter willem joost dirk hendrik klaas sathish rahul amit priya shabana
        jagdish antara barnaby kerry harris hans
        chidi ngozi chinedu chioma emeka obinna uche adaeze amara folake funmilayo oluwaseun segun tunde yemi kwame
        kwesi ama akua abena yaw kojo thabo sipho nelson desmond jomo uhuru wangari ayodele babatunde olusegun
        aisha amina fatou mariam khadija zainab layla leila noor hamid karim khalid rashid samir tarek walid yousef
        youssef ahmet emre mehmet murat kemal orhan selim reza ali-reza darius farhad parisa shirin
        arun anil amitabh aditya akshay deepika gaurav kavita krishna lakshmi manoj meera mohan nikhil pooja prakash
        raj rajiv ramesh ranjit rohit sachin sanjeev shah shahrukh shashi shreya sunita suresh vikram vinod
        wei-ling xiaoping jinping zedong hua jun lei li-na mei ming-yu qing shu tao xin yan yong zhi hao
        haruki hayao hideo hiroshi ichiro kazuo keiko kenzo makoto masato naoki ryo shigeru taro yoko yoshiro
        ji-hoon ji-woo min-jun seo-yeon hye-jin sung jae-in park-chan kim-jong
        ana-maria andrei bogdan dragan goran ivana jelena milan milos nikola petar stefan vesna zoran
        jiri vaclav tomas pavel lukas jakub katarzyna krzysztof lech tadeusz wojciech zbigniew
        anneliese dieter friedrich gottfried heinz helmut jurgen klaus manfred rainer uwe werner
        bjork gunnar ingrid karin leif sigrid solveig thor
        aurelio bartolomeo cesare enzo fabrizio federico gianni leonardo luigi massimo matteo paolo silvio umberto
        alejandro alvaro andres beatriz catalina esteban gonzalo ignacio joaquin lucia mercedes pilar rocio santiago
        joao vinicius thiago rodrigo gabriel dick hank jeb newt mitt ron gerry teddy woody
        """);

    public static readonly FrozenSet<string> CurrencyWords = Set("""
        dollar dollars usd euro euros eur pound pounds sterling gbp yen jpy yuan renminbi rupee rupees franc francs
        mark marks markka lira lire peso pesos ruble rubles rouble roubles won krona kronor krone kroner shilling
        shillings cent cents pence
        """);

    public static readonly FrozenSet<string> ScaleWords = Set("""
        thousand million billion trillion crore lakh hundred dozen
        """);

    /// <summary>Units and countable nouns that make a number a quantity ("12 km", "35 stores").</summary>
    public static readonly FrozenSet<string> Units = Set("""
        km kilometre kilometres kilometer kilometers mi mile miles m metre metres meter meters cm mm ft foot feet
        inch inches yd yard yards kg kilogram kilograms g gram grams lb lbs pound pounds oz ton tons tonne tonnes
        ha hectare hectares acre acres sq square l litre litres liter liters gallon gallons mph kmh hp kw mw gw kwh
        percent per cent degree degrees celsius fahrenheit hz khz mhz ghz mb gb tb kb bit bits byte bytes
        """);

    /// <summary>A hash of every list, part of the extractor's version: editing a list re-processes documents.</summary>
    public static readonly string Fingerprint = Graph.StableId.Hash(
        [.. new[]
        {
            FunctionWords, CommonWords, Connectors, Particles, NameAbbreviations, Honorifics, PersonHonorifics, Months,
            Weekdays, Demonyms, VesselPrefixes, OrganizationRoles, InstitutionHeads, ClosedPlaceHeads, OrganizationHeads,
            OrganizationLeads, LocationHeads, LocationLeads, WorkHeads, EventHeads, EventLeads, HeadsOf, Countries, UsStates,
            Places, GivenNames, CurrencyWords, ScaleWords, Units,
        }.Select(static set => string.Join(' ', set.Order(StringComparer.Ordinal))),
        string.Join(' ', CategoryNouns.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => p.Key + "=" + p.Value))])[..16];

    private static FrozenDictionary<string, string> BuildCategoryNouns()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string type, string words)
        {
            foreach (var word in Split(words))
            {
                map[word] = type;
            }
        }

        Add(EntityTypes.Person, """
            actor actress singer songwriter singer-songwriter rapper musician guitarist drummer bassist pianist
            composer conductor writer author novelist poet playwright screenwriter journalist director filmmaker
            producer politician diplomat lawyer judge businessman businesswoman entrepreneur executive engineer
            scientist physicist chemist biologist mathematician economist historian philosopher psychologist
            sociologist linguist scholar professor academic teacher architect painter sculptor artist photographer
            designer model dancer choreographer comedian presenter footballer player athlete cricketer boxer wrestler
            swimmer cyclist runner coach manager jockey golfer racer skier skater officer soldier admiral pilot
            astronaut priest bishop monk nun missionary king queen prince princess emperor empress nobleman noblewoman
            explorer inventor activist physician surgeon doctor nurse chef critic editor cartoonist illustrator
            animator personality socialite spy saint pope monarch ruler sultan chieftain warrior earl duke baron
            statesman stateswoman senator governor mayor ambassador minister president lyricist vocalist frontman dj
            theologian archaeologist anthropologist astronomer geologist botanist zoologist man woman boy girl
            businessperson magician illusionist tennis quarterback pitcher goalkeeper defender midfielder striker
            forward guard centre-back winger batsman bowler sprinter cellist violinist violist flautist harpist organist
            saxophonist trumpeter oceanographer investor banker
            """);
        Add(EntityTypes.Organization, """
            company corporation firm business manufacturer retailer chain band group duo trio quartet ensemble
            orchestra choir label publisher university college school institute academy organization organisation
            association society agency party club team franchise airline bank network studio charity foundation
            union federation league conglomerate subsidiary startup cooperative denomination order department
            ministry council committee commission army militia regiment supergroup outfit brand tribe dynasty
            maker builder supplier shipyard fund carmaker automaker shipbuilder
            """);
        Add(EntityTypes.Location, """
            city town village hamlet community municipality commune suburb neighborhood neighbourhood borough county
            district province state region country nation island archipelago river lake mountain peak range hill
            valley sea bay ocean desert forest park parish township capital metropolis settlement territory
            peninsula waterfall glacier canal street road highway airport station stadium arena building skyscraper
            castle palace cathedral temple mosque monastery bridge dam reservoir port harbour harbor locality place
            cdp tributary creek stream strait volcano crater beach resort mall square cemetery monument landmark
            site enclave kingdom empire republic continent oblast prefecture
            """);
        Add(EntityTypes.Work, """
            film movie album song single ep novel book play musical opera series sitcom show programme program
            episode documentary game poem painting sculpture journal magazine newspaper periodical publication
            anthology comic manga anime novella story soundtrack compilation mixtape symphony sonata concerto
            composition ballet drama comedy thriller miniseries telenovela videogame website anthem hymn
            screenplay memoir biography textbook encyclopedia dictionary treatise essay sequel prequel remake report
            """);
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenSet<string> Set(string words, params string[] phrases) =>
        Split(words).Concat(phrases).ToFrozenSet(StringComparer.Ordinal);

    private static IEnumerable<string> Split(string words) =>
        words.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
